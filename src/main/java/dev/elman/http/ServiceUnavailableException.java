package dev.elman.http;

import java.net.URI;
import java.time.Duration;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * The service cannot take a request now; answered 429 or 503 with {@code Retry-After}.
 */
public class ServiceUnavailableException extends ServiceProblem {

	private final Duration retryAfter;

	/**
	 * Creates the exception.
	 * @param status 429 or 503
	 * @param type the problem type
	 * @param message the detail for the caller
	 * @param retryAfter when to try again
	 */
	public ServiceUnavailableException(int status, URI type, String message, Duration retryAfter) {
		super(HttpStatus.valueOf(status), type,
				(status == HttpStatus.TOO_MANY_REQUESTS.value()) ? "Too many requests" : "Service unavailable",
				message);
		this.retryAfter = retryAfter;
		long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
		getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
	}

	/**
	 * The answer to a request the service cannot take because it is shutting down: to be
	 * sent again, to another replica or to this one once restarted.
	 * @param retryAfter when to try again
	 * @return the exception
	 */
	public static ServiceUnavailableException shuttingDown(Duration retryAfter) {
		return new ServiceUnavailableException(503, ProblemTypes.SHUTTING_DOWN,
				"The service is shutting down; retry, another replica or the restarted service will answer.",
				retryAfter);
	}

	/**
	 * The answer to a request that failed because the service ran out of memory: likely
	 * to succeed when retried once the load has passed. Other errors are bugs, answered
	 * 500, not this.
	 * @param what what could not be done, to start the detail
	 * @return the exception
	 */
	public static ServiceUnavailableException outOfMemory(String what) {
		return new ServiceUnavailableException(503, ProblemTypes.MODEL_UNAVAILABLE,
				what + " just now: the service is short of memory; retry shortly.", Duration.ofSeconds(5));
	}

	/**
	 * Returns the HTTP status.
	 * @return 429 or 503
	 */
	public int getStatus() {
		return getStatusCode().value();
	}

	/**
	 * Returns when to try again.
	 * @return the delay
	 */
	public Duration getRetryAfter() {
		return this.retryAfter;
	}

}
