package dev.elman.http;

import org.springframework.http.HttpStatus;

/**
 * A request that is malformed as a whole, not in one field; answered 400.
 */
public class BadRequestException extends ServiceProblem {

	/**
	 * Creates the exception.
	 * @param detail what is wrong and what to change
	 */
	public BadRequestException(String detail) {
		super(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_REQUEST, "Invalid request", detail);
	}

}
