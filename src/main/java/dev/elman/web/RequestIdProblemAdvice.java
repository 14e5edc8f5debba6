package dev.elman.web;

import dev.elman.http.RequestIds;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * Adds the request id to every ProblemDetail body the web layer writes, whichever handler
 * made it.
 */
@RestControllerAdvice
class RequestIdProblemAdvice implements ResponseBodyAdvice<Object> {

	@Override
	public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
		return true;
	}

	@Override
	public Object beforeBodyWrite(Object body, MethodParameter returnType, MediaType contentType,
			Class<? extends HttpMessageConverter<?>> converterType, ServerHttpRequest request,
			ServerHttpResponse response) {
		if (body instanceof ProblemDetail problem && request instanceof ServletServerHttpRequest servlet) {
			addRequestId(problem, servlet.getServletRequest());
		}
		return body;
	}

	static void addRequestId(ProblemDetail problem, HttpServletRequest request) {
		String id = RequestIds.of(request);
		if (id != null) {
			problem.setProperty(RequestIds.MDC_KEY, id);
		}
	}

}
