package dev.elman.web;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;

import dev.elman.http.RequestPaths;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
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

	private static final String TEXT = "text/plain;version=0.0.4";

	static final String PATH = "/actuator/prometheus";

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !PATH.equals(RequestPaths.of(request));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		chain.doFilter(prefersText(request) ? new AcceptReplaced(request, TEXT) : request, response);
	}

	/**
	 * Whether the text format is what the client prefers: a type naming text
	 * ({@code text/plain} or {@code text/*}) with a quality above every other type that
	 * would pick another format (OpenMetrics, protobuf, {@code application/*},
	 * {@code *}{@code /*}), or equal to the best of them and listed before it. Otherwise
	 * the header goes on untouched.
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
		int text = -1;
		int other = -1;
		for (int i = 0; i < accepted.size(); i++) {
			MediaType type = accepted.get(i);
			boolean namesText = "text".equals(type.getType()) && type.includes(MediaType.TEXT_PLAIN);
			if (namesText && (text < 0 || quality(accepted, i) > quality(accepted, text))) {
				text = i;
			}
			else if (!namesText && (other < 0 || quality(accepted, i) > quality(accepted, other))) {
				other = i;
			}
		}
		if (text < 0 || quality(accepted, text) == 0) {
			return false;
		}
		return other < 0 || quality(accepted, text) > quality(accepted, other)
				|| (quality(accepted, text) == quality(accepted, other) && text < other);
	}

	private static double quality(List<MediaType> types, int index) {
		return types.get(index).getQualityValue();
	}

}
