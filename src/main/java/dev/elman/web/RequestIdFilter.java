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
		// An async or error dispatch keeps the id its request was given.
		String id = RequestIds.of(request);
		if (id == null) {
			id = RequestIds.accept(request.getHeader(RequestIds.HEADER));
			RequestIds.bind(request, id);
		}
		withId(id, request, response, chain);
	}

	/**
	 * An error page after the request was filtered: the container's sendError reset the
	 * response's headers, so the id goes on again.
	 */
	@Override
	protected void doFilterNestedErrorDispatch(HttpServletRequest request, HttpServletResponse response,
			FilterChain chain) throws ServletException, IOException {
		doFilterInternal(request, response, chain);
	}

	private static void withId(String id, HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
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

	/**
	 * Errors the container reports through the error page (a method it refuses itself,
	 * say) get an id too, even when no filter saw their request.
	 */
	@Override
	protected boolean shouldNotFilterErrorDispatch() {
		return false;
	}

}
