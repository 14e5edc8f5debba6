package dev.elman.http;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.util.UrlPathHelper;

/**
 * A request's path as Spring MVC routes it: {@code /train;x=1} and {@code /t%72ain} are
 * {@code /train} too, so a filter keyed by path cannot be side-stepped by spelling it
 * differently.
 */
public final class RequestPaths {

	private RequestPaths() {
	}

	/**
	 * Returns the path a request is routed by.
	 * @param request the request
	 * @return the decoded path without path parameters
	 */
	public static String of(HttpServletRequest request) {
		String uri = request.getRequestURI();
		// Most paths need no decoding: skip the general (and slower) resolution for them.
		if (request.getContextPath().isEmpty() && uri.indexOf(';') < 0 && uri.indexOf('%') < 0 && !uri.contains("//")) {
			return uri;
		}
		return UrlPathHelper.defaultInstance.getLookupPathForRequest(request);
	}

}
