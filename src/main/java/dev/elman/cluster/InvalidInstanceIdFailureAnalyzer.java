package dev.elman.cluster;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns an unusable {@code elman.instance-id} into one clear sentence at startup instead
 * of a stack trace.
 */
class InvalidInstanceIdFailureAnalyzer extends AbstractFailureAnalyzer<InvalidInstanceIdException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidInstanceIdException cause) {
		return new FailureAnalysis(cause.getMessage(),
				"Set elman.instance-id (or ELMAN_INSTANCE_ID) to a name such as 'elman-1', or leave it unset "
						+ "for the host's name and the process id.",
				cause);
	}

}
