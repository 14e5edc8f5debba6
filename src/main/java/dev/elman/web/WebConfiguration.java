package dev.elman.web;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.elman.http.BodyLimit;
import jakarta.servlet.DispatcherType;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Filters every request passes through, whatever it asks for. Public so that web slice
 * tests can import it.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(HttpProperties.class)
public class WebConfiguration {

	@Bean
	FilterRegistrationBean<RequestIdFilter> requestIdFilter() {
		FilterRegistrationBean<RequestIdFilter> registration = new FilterRegistrationBean<>(new RequestIdFilter());
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
		return registration;
	}

	@Bean
	FilterRegistrationBean<EmptyErrorBodyFilter> emptyErrorBodyFilter() {
		FilterRegistrationBean<EmptyErrorBodyFilter> registration = new FilterRegistrationBean<>(
				new EmptyErrorBodyFilter());
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
		return registration;
	}

	@Bean
	FilterRegistrationBean<UnreadableAcceptFilter> unreadableAcceptFilter() {
		FilterRegistrationBean<UnreadableAcceptFilter> registration = new FilterRegistrationBean<>(
				new UnreadableAcceptFilter());
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
		registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
		return registration;
	}

	@Bean
	FilterRegistrationBean<MetricsFormatFilter> metricsFormatFilter() {
		FilterRegistrationBean<MetricsFormatFilter> registration = new FilterRegistrationBean<>(
				new MetricsFormatFilter());
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 3);
		return registration;
	}

	/**
	 * Tomcat answers requests it refuses itself (a malformed or escaping path) with its
	 * host's error report valve: ours writes problem+json.
	 */
	@Bean
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports() {
		return (factory) -> factory.addContextCustomizers((context) -> {
			if (context.getParent() instanceof StandardHost host) {
				// Spring Boot adds a plain ErrorReportValve of its own; ours replaces it,
				// and the host, finding its class, adds no other.
				for (Valve valve : host.getPipeline().getValves()) {
					if (valve instanceof ErrorReportValve) {
						host.getPipeline().removeValve(valve);
					}
				}
				host.getPipeline().addValve(new ProblemErrorReportValve());
				host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
			}
		});
	}

	/**
	 * After the API key check, so no unauthenticated body is read, and before any
	 * parsing.
	 */
	@Bean
	FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimitFilter(HttpProperties properties,
			List<BodyLimit> limits) {
		Map<String, Long> byPath = new HashMap<>();
		limits.forEach((limit) -> byPath.put(limit.path(), limit.max().toBytes()));
		FilterRegistrationBean<RequestBodyLimitFilter> registration = new FilterRegistrationBean<>(
				new RequestBodyLimitFilter(properties.maxBodySize().toBytes(), byPath, properties.bodyReadTimeout()));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
		return registration;
	}

}
