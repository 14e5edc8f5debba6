package dev.elman.engine;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Loads the engine once, at startup, so a missing GPU or native library stops the service
 * before it accepts work.
 */
@Configuration(proxyBeanMethods = false)
class EngineConfiguration {

	@Bean
	ComputeEngine computeEngine(EngineProperties properties) {
		return ComputeEngine.start(properties);
	}

	@Bean
	EngineHealthIndicator engineHealthIndicator(ComputeEngine engine) {
		return new EngineHealthIndicator(engine);
	}

	@Bean
	EngineInfoContributor engineInfoContributor(ComputeEngine engine) {
		return new EngineInfoContributor(engine);
	}

}
