package dev.elman.http;

import org.springframework.http.HttpStatus;

/**
 * A request body, or a corpus in it, beyond the limit; answered 413.
 */
public class PayloadTooLargeException extends ServiceProblem {

	/**
	 * Creates the exception.
	 * @param detail how large it was, if known, and what the limit is
	 */
	public PayloadTooLargeException(String detail) {
		super(HttpStatus.PAYLOAD_TOO_LARGE, ProblemTypes.PAYLOAD_TOO_LARGE, "Request too large", detail);
	}

}
