package dev.elman.web;

import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

import org.springframework.http.HttpHeaders;

/**
 * A request whose {@code Accept} header reads as another value, or as absent, to
 * everything after the filter that wraps it.
 */
final class AcceptReplaced extends HttpServletRequestWrapper {

	private final String accept;

	/**
	 * Wraps a request.
	 * @param request the request
	 * @param accept the header's new value, or null for none
	 */
	AcceptReplaced(HttpServletRequest request, String accept) {
		super(request);
		this.accept = accept;
	}

	@Override
	public String getHeader(String name) {
		return isAccept(name) ? this.accept : super.getHeader(name);
	}

	@Override
	public Enumeration<String> getHeaders(String name) {
		if (!isAccept(name)) {
			return super.getHeaders(name);
		}
		return (this.accept != null) ? Collections.enumeration(List.of(this.accept)) : Collections.emptyEnumeration();
	}

	@Override
	public Enumeration<String> getHeaderNames() {
		Stream<String> others = Collections.list(super.getHeaderNames()).stream().filter((name) -> !isAccept(name));
		return Collections.enumeration(
				((this.accept != null) ? Stream.concat(others, Stream.of(HttpHeaders.ACCEPT)) : others).toList());
	}

	private static boolean isAccept(String name) {
		return HttpHeaders.ACCEPT.equalsIgnoreCase(name);
	}

}
