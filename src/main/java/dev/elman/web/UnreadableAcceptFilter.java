package dev.elman.web;

import java.io.IOException;
import java.util.Enumeration;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Treats an {@code Accept} header that is not a list of media types as absent. Spring
 * cannot negotiate with one, and could then not even write the problem that says so: the
 * client would get an empty 400. Ignoring it answers as if the client took anything,
 * which every client takes.
 */
class UnreadableAcceptFilter extends OncePerRequestFilter {

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		chain.doFilter(readable(request) ? request : new AcceptReplaced(request, null), response);
	}

	/** Every Accept header: Spring negotiates over all of them. */
	private static boolean readable(HttpServletRequest request) {
		Enumeration<String> values = request.getHeaders(HttpHeaders.ACCEPT);
		while (values != null && values.hasMoreElements()) {
			try {
				MediaType.parseMediaTypes(values.nextElement());
			}
			catch (InvalidMediaTypeException ex) {
				return false;
			}
		}
		return true;
	}

}
