package dev.elman.web;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import dev.elman.http.RequestPaths;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lets the order of an {@code Accept} header decide between Prometheus's text format and
 * OpenMetrics when the client accepts both equally. Spring Boot otherwise picks
 * OpenMetrics for {@code Accept: text/plain, application/openmetrics-text}, which is what
 * a client generated from the contract sends, and which it cannot read. Prometheus itself
 * asks for OpenMetrics first and with a higher quality, and still gets it.
 */
class MetricsFormatFilter extends OncePerRequestFilter {

	static final String PATH = "/actuator/prometheus";

	private static final MediaType OPENMETRICS = MediaType.parseMediaType("application/openmetrics-text");

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !PATH.equals(RequestPaths.of(request));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		chain.doFilter(prefersText(request) ? new TextOnly(request) : request, response);
	}

	/**
	 * Whether text/plain is the most preferred of the two, or ties with OpenMetrics and
	 * comes first.
	 */
	private static boolean prefersText(HttpServletRequest request) {
		List<MediaType> accepted = new ArrayList<>();
		Enumeration<String> values = request.getHeaders(HttpHeaders.ACCEPT);
		try {
			while (values != null && values.hasMoreElements()) {
				accepted.addAll(MediaType.parseMediaTypes(values.nextElement()));
			}
		}
		catch (InvalidMediaTypeException ex) {
			return false;
		}
		MediaType preferred = null;
		for (MediaType type : accepted) {
			boolean named = MediaType.TEXT_PLAIN.equalsTypeAndSubtype(type) || OPENMETRICS.equalsTypeAndSubtype(type);
			if (named && (preferred == null || type.getQualityValue() > preferred.getQualityValue())) {
				preferred = type;
			}
		}
		return preferred != null && MediaType.TEXT_PLAIN.equalsTypeAndSubtype(preferred)
				&& preferred.getQualityValue() > 0;
	}

	private static final class TextOnly extends HttpServletRequestWrapper {

		private static final String TEXT = "text/plain;version=0.0.4";

		TextOnly(HttpServletRequest request) {
			super(request);
		}

		@Override
		public String getHeader(String name) {
			return HttpHeaders.ACCEPT.equalsIgnoreCase(name) ? TEXT : super.getHeader(name);
		}

		@Override
		public Enumeration<String> getHeaders(String name) {
			return HttpHeaders.ACCEPT.equalsIgnoreCase(name) ? Collections.enumeration(List.of(TEXT))
					: super.getHeaders(name);
		}

	}

}
