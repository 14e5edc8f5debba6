package dev.elman.web;

import java.io.IOException;

import dev.elman.http.RequestIds;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every request its id before anything else runs, so even a request refused by a
 * later filter carries one. See {@link RequestIds}.
 */
class RequestIdFilter extends OncePerRequestFilter {

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String id = RequestIds.accept(request.getHeader(RequestIds.HEADER));
		RequestIds.bind(request, id);
		response.setHeader(RequestIds.HEADER, id);
		MDC.put(RequestIds.MDC_KEY, id);
		try {
			chain.doFilter(request, response);
		}
		finally {
			MDC.remove(RequestIds.MDC_KEY);
		}
	}

	/** Async dispatches (the event stream) keep their id in the MDC too. */
	@Override
	protected boolean shouldNotFilterAsyncDispatch() {
		return false;
	}

}
