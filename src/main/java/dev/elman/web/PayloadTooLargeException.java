package dev.elman.web;

/**
 * A request body beyond the configured limit.
 */
public class PayloadTooLargeException extends RuntimeException {

	/**
	 * Creates the exception.
	 * @param message what the limit is
	 */
	public PayloadTooLargeException(String message) {
		super(message);
	}

}
