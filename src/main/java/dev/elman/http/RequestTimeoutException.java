package dev.elman.http;

import org.springframework.http.HttpStatus;

/**
 * A request body that arrives too slowly; answered 408, so a client trickling its body
 * cannot hold a place for ever.
 */
public class RequestTimeoutException extends ServiceProblem {

	/**
	 * Creates the exception.
	 * @param detail how long the body may take
	 */
	public RequestTimeoutException(String detail) {
		super(HttpStatus.REQUEST_TIMEOUT, ProblemTypes.REQUEST_TIMEOUT, "Request timeout", detail);
	}

}
