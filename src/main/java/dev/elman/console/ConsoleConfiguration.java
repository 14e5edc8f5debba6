package dev.elman.console;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The web console ({@code static/index.html} at {@code /}, its scripts under
 * {@code /console/}) and Swagger UI over the served contract at {@code /docs/}; their
 * libraries come from WebJars under {@code /webjars/}, versions resolved by
 * webjars-locator-lite, nothing from a CDN.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleConfiguration implements WebMvcConfigurer {

	@Bean
	FilterRegistrationBean<ConsolePageHeaders> consolePageHeaders() {
		FilterRegistrationBean<ConsolePageHeaders> registration = new FilterRegistrationBean<>(
				new ConsolePageHeaders());
		registration.addUrlPatterns("/", "/index.html", "/console/*", "/docs", "/docs/*", "/webjars/*",
				"/openapi.yaml");
		return registration;
	}

	@Override
	public void addViewControllers(ViewControllerRegistry registry) {
		registry.addRedirectViewController("/docs", "/docs/");
		registry.addViewController("/docs/").setViewName("forward:/docs/index.html");
	}

}
