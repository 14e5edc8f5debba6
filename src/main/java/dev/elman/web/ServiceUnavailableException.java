package dev.elman.web;

import java.net.URI;
import java.time.Duration;

/**
 * The service cannot take a request now; answered 429 or 503 with {@code Retry-After}.
 */
public class ServiceUnavailableException extends RuntimeException {

	private final int status;

	private final URI type;

	private final Duration retryAfter;

	/**
	 * Creates the exception.
	 * @param status 429 or 503
	 * @param type the problem type
	 * @param message the detail for the caller
	 * @param retryAfter when to try again
	 */
	public ServiceUnavailableException(int status, URI type, String message, Duration retryAfter) {
		super(message);
		this.status = status;
		this.type = type;
		this.retryAfter = retryAfter;
	}

	/**
	 * Returns the HTTP status.
	 * @return 429 or 503
	 */
	public int getStatus() {
		return this.status;
	}

	/**
	 * Returns the problem type.
	 * @return the type URI
	 */
	public URI getType() {
		return this.type;
	}

	/**
	 * Returns when to try again.
	 * @return the delay
	 */
	public Duration getRetryAfter() {
		return this.retryAfter;
	}

}
