package dev.elman.generation;

import dev.elman.registry.ModelCache;
import dev.elman.registry.ModelRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The generation workers and their queue.
 */
@Configuration(proxyBeanMethods = false)
class GenerationConfiguration {

	@Bean
	GenerationService generationService(ModelRegistry registry, ModelCache cache, GenerationProperties properties) {
		return new GenerationService(registry, cache, properties);
	}

}
