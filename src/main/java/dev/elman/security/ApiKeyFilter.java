package dev.elman.security;

import java.io.IOException;
import java.net.URI;

import dev.elman.http.ProblemResponses;
import dev.elman.http.ProblemTypes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Asks for an API key on every request that changes state: any method but GET, HEAD and
 * OPTIONS, except {@code POST /generate} unless {@code elman.security.protect-generate}
 * is set. Reads stay open, health and metrics included. Safe by default: a new endpoint
 * that changes state is protected without being listed here. A missing key is answered
 * 401, a wrong one 403; neither the key nor a part of it is ever logged.
 */
class ApiKeyFilter extends OncePerRequestFilter {

	static final String HEADER = "X-API-Key";

	private static final String BEARER = "Bearer ";

	private static final Logger logger = LoggerFactory.getLogger(ApiKeyFilter.class);

	private final ApiKeys keys;

	private final boolean protectGenerate;

	private final Counter missing;

	private final Counter invalid;

	ApiKeyFilter(ApiKeys keys, boolean protectGenerate, MeterRegistry meters) {
		this.keys = keys;
		this.protectGenerate = protectGenerate;
		this.missing = rejections(meters, "missing");
		this.invalid = rejections(meters, "invalid");
	}

	private static Counter rejections(MeterRegistry meters, String reason) {
		return Counter.builder("elman.security.rejected")
			.description("Requests refused for a missing or wrong API key")
			.tag("reason", reason)
			.register(meters);
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		if (this.keys.isEmpty()) {
			return true;
		}
		HttpMethod method = HttpMethod.valueOf(request.getMethod());
		if (method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS) {
			return true;
		}
		return !this.protectGenerate && method == HttpMethod.POST && "/generate".equals(path(request));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String presented = presentedKey(request);
		if (presented == null) {
			this.missing.increment();
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"elman\"");
			refuse(request, response, HttpStatus.UNAUTHORIZED, ProblemTypes.API_KEY_MISSING, "API key required",
					request.getMethod() + " " + path(request)
							+ " needs an API key: send 'Authorization: Bearer KEY' or '" + HEADER + ": KEY'.");
			return;
		}
		if (!this.keys.accepts(presented)) {
			this.invalid.increment();
			logger.warn("Refused {} {} from {}: the API key is not one of the configured keys", request.getMethod(),
					path(request), request.getRemoteAddr());
			refuse(request, response, HttpStatus.FORBIDDEN, ProblemTypes.API_KEY_INVALID, "API key not accepted",
					"The API key sent is not one of this service's keys.");
			return;
		}
		chain.doFilter(request, response);
	}

	/**
	 * The key from {@code Authorization: Bearer} or {@code X-API-Key}; null if neither.
	 */
	private static String presentedKey(HttpServletRequest request) {
		String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
			String token = authorization.substring(BEARER.length()).trim();
			if (!token.isEmpty()) {
				return token;
			}
		}
		String header = request.getHeader(HEADER);
		return (header != null && !header.isBlank()) ? header.trim() : null;
	}

	private static void refuse(HttpServletRequest request, HttpServletResponse response, HttpStatus status, URI type,
			String title, String detail) throws IOException {
		ProblemResponses.write(request, response, ProblemResponses.problem(status, type, title, detail));
	}

	private static String path(HttpServletRequest request) {
		String uri = request.getRequestURI();
		String context = request.getContextPath();
		return (context != null && !context.isEmpty() && uri.startsWith(context)) ? uri.substring(context.length())
				: uri;
	}

}
