package dev.elman.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;

import dev.elman.storage.FileProblems;

/**
 * What a failed job's {@code error} tells its client, who may not see the service's log:
 * what went wrong and what to do, never a server path or an exception's own words (which
 * name files and classes). The log has the whole failure under the job's id.
 */
final class JobFailures {

	private JobFailures() {
	}

	static String describe(String jobId, Throwable thrown) {
		Throwable failure = (thrown instanceof UncheckedIOException unchecked) ? unchecked.getCause() : thrown;
		if (FileProblems.isDiskFull(failure)) {
			return "The disk under the service's data folder is full, so the job's checkpoints or model could "
					+ "not be written and nothing was published. Free some space (or delete old model versions) "
					+ "and submit the job again.";
		}
		if (failure instanceof IOException io) {
			return "Writing or reading the job's files failed (" + FileProblems.describe(io)
					+ ") and nothing was published; the service log has the details under job " + jobId + ".";
		}
		if (failure instanceof OutOfMemoryError) {
			return "The service ran out of memory while training this job. Try a smaller hiddenSize, batchSize, "
					+ "batchTokens or corpus, or give the service more memory.";
		}
		return "Training failed unexpectedly; the service log has the details under job " + jobId + ".";
	}

}
