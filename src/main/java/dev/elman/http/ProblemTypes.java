package dev.elman.http;

import java.net.URI;

/**
 * The stable {@code type} URIs of the problems this service reports; clients may branch
 * on them.
 */
public final class ProblemTypes {

	private static final String BASE = "https://elman.dev/problems/";

	/** A model, version or alias that does not exist. */
	public static final URI MODEL_NOT_FOUND = URI.create(BASE + "model-not-found");

	/** A training job that does not exist. */
	public static final URI JOB_NOT_FOUND = URI.create(BASE + "job-not-found");

	/** A training job that has already ended. */
	public static final URI JOB_FINISHED = URI.create(BASE + "job-finished");

	/** An idempotency key reused with a different request. */
	public static final URI IDEMPOTENCY_CONFLICT = URI.create(BASE + "idempotency-conflict");

	/** A version whose files fail their checksums. */
	public static final URI VERSION_CORRUPT = URI.create(BASE + "version-corrupt");

	/** A version that aliases still point at. */
	public static final URI ALIAS_IN_USE = URI.create(BASE + "alias-in-use");

	/** A path and method that no endpoint answers. */
	public static final URI NO_SUCH_ENDPOINT = URI.create(BASE + "no-such-endpoint");

	/** A request that is malformed or breaks a limit. */
	public static final URI INVALID_REQUEST = URI.create(BASE + "invalid-request");

	/** A request that changes state came without an API key. */
	public static final URI API_KEY_MISSING = URI.create(BASE + "api-key-missing");

	/** The API key sent is not one of the service's. */
	public static final URI API_KEY_INVALID = URI.create(BASE + "api-key-invalid");

	/** A body larger than allowed. */
	public static final URI PAYLOAD_TOO_LARGE = URI.create(BASE + "payload-too-large");

	/** The request body arrived too slowly. */
	public static final URI REQUEST_TIMEOUT = URI.create(BASE + "request-timeout");

	/** The queue is full; retry after the time given. */
	public static final URI TOO_MANY_REQUESTS = URI.create(BASE + "too-many-requests");

	/** The request could not be served before its deadline. */
	public static final URI DEADLINE_EXCEEDED = URI.create(BASE + "deadline-exceeded");

	/**
	 * The service is stopping; another replica, or this one after its restart, serves the
	 * retry.
	 */
	public static final URI SHUTTING_DOWN = URI.create(BASE + "shutting-down");

	/**
	 * A version that exists but could not be loaded now (the service is short of memory);
	 * retry after the time given.
	 */
	public static final URI MODEL_UNAVAILABLE = URI.create(BASE + "model-unavailable");

	/** Storage failed; nothing was changed. */
	public static final URI STORAGE_UNAVAILABLE = URI.create(BASE + "storage-unavailable");

	/** An unexpected failure: a bug. */
	public static final URI INTERNAL_ERROR = URI.create(BASE + "internal-error");

	private ProblemTypes() {
	}

}
