package dev.elman.generation;

import dev.elman.background.BackgroundLoop;
import dev.elman.registry.ModelCache;
import dev.elman.registry.ModelRegistry;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The generation workers and their queue.
 */
@Configuration(proxyBeanMethods = false)
class GenerationConfiguration {

	@Bean
	GenerationService generationService(ModelRegistry registry, ModelCache cache, GenerationProperties properties,
			MeterRegistry meters) {
		return new GenerationService(registry, cache, properties, new GenerationMetrics(meters));
	}

	@Bean
	BackgroundLoop generationWorkers(GenerationService service) {
		return service.workers();
	}

}
