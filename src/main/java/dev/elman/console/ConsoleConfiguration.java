package dev.elman.console;

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

	@Override
	public void addViewControllers(ViewControllerRegistry registry) {
		registry.addRedirectViewController("/docs", "/docs/");
		registry.addViewController("/docs/").setViewName("forward:/docs/index.html");
	}

}
