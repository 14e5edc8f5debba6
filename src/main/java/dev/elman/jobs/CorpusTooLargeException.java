package dev.elman.jobs;

/**
 * A corpus beyond {@code elman.jobs.max-corpus-size}.
 */
public class CorpusTooLargeException extends RuntimeException {

	CorpusTooLargeException(long bytes, long limit) {
		super("The corpus is " + bytes + " bytes; at most " + limit + " are accepted.");
	}

}
