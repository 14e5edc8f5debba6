package dev.elman.background;

import java.util.List;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The health of every {@link BackgroundLoop} the features declare as beans.
 */
@Configuration(proxyBeanMethods = false)
class BackgroundConfiguration {

	@Bean
	BackgroundWorkHealthIndicator backgroundWorkHealthIndicator(List<BackgroundLoop> loops) {
		return new BackgroundWorkHealthIndicator(loops);
	}

}
