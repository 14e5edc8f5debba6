package dev.elman.jobs;

import dev.elman.http.ProblemTypes;
import dev.elman.http.ServiceProblem;

import org.springframework.http.HttpStatus;

/**
 * An {@code Idempotency-Key} reused with a different request.
 */
public class IdempotencyConflictException extends ServiceProblem {

	IdempotencyConflictException(String key, String jobId) {
		super(HttpStatus.CONFLICT, ProblemTypes.IDEMPOTENCY_CONFLICT, "Idempotency key reused",
				"Idempotency-Key '" + key + "' was used for job '" + jobId
						+ "' with a different request; use a new key for a new request.");
	}

}
