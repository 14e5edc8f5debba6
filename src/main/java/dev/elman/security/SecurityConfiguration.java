package dev.elman.security;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * API keys in front of the endpoints that change state.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(SecurityConfiguration.class);

	@Bean
	FilterRegistrationBean<ApiKeyFilter> apiKeyFilter(SecurityProperties properties, MeterRegistry meters) {
		ApiKeys keys = new ApiKeys(properties.apiKeys());
		announce(keys, properties.protectGenerate());
		FilterRegistrationBean<ApiKeyFilter> registration = new FilterRegistrationBean<>(
				new ApiKeyFilter(keys, properties.protectGenerate(), meters));
		// Right after the request id, before anything reads the body.
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
		return registration;
	}

	static void announce(ApiKeys keys, boolean protectGenerate) {
		if (keys.isEmpty()) {
			logger.warn("No API keys are set (elman.security.api-keys): anyone who can reach this service can train, "
					+ "cancel jobs, delete model versions and move aliases");
		}
		else {
			logger.info("{} API key(s) set: POST, PUT and DELETE need one{}", keys.size(),
					protectGenerate ? ", POST /generate included" : "; POST /generate is open");
		}
	}

}
