package dev.elman.registry;

import java.time.Clock;

import dev.elman.background.BackgroundLoop;
import dev.elman.engine.ComputeEngine;
import dev.elman.engine.EngineProperties;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The registry folder, scanned from startup on, and the cache of loaded models.
 */
@Configuration(proxyBeanMethods = false)
class RegistryConfiguration {

	@Bean
	ModelRegistry modelRegistry(RegistryProperties properties, EngineProperties engine) {
		ModelRegistry registry = new ModelRegistry(properties.rootIn(engine.dataDir()), Clock.systemUTC());
		registry.start(properties.staleStagingAge(), properties.scanInterval());
		return registry;
	}

	@Bean
	BackgroundLoop registryScanLoop(ModelRegistry registry) {
		return registry.scanning();
	}

	@Bean
	RegistryHealthIndicator registryHealthIndicator(ModelRegistry registry, RegistryProperties properties) {
		return new RegistryHealthIndicator(registry, properties.minFreeSpace());
	}

	@Bean
	ModelCache modelCache(RegistryProperties properties, ComputeEngine engine, ModelRegistry registry) {
		ModelCache cache = new ModelCache(properties.cacheSize(), engine.device());
		registry.onRemoved(cache::evict);
		return cache;
	}

	@Bean
	RegistryMetrics registryMetrics(ModelRegistry registry, ModelCache cache) {
		return new RegistryMetrics(registry, cache);
	}

}
