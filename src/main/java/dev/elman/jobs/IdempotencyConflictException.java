package dev.elman.jobs;

/**
 * An {@code Idempotency-Key} reused with a different request.
 */
public class IdempotencyConflictException extends RuntimeException {

	IdempotencyConflictException(String key, String jobId) {
		super("Idempotency-Key '" + key + "' was used for job '" + jobId
				+ "' with a different request; use a new key for a new request.");
	}

}
