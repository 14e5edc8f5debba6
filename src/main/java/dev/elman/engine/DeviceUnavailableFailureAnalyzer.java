package dev.elman.engine;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a missing GPU into one clear sentence at startup instead of a stack trace.
 */
class DeviceUnavailableFailureAnalyzer extends AbstractFailureAnalyzer<DeviceUnavailableException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, DeviceUnavailableException cause) {
		String action = "Set elman.device to 'cpu' or 'auto', or give this process a CUDA build of PyTorch "
				+ "and a GPU (README.md, section 'GPU deployment').";
		return new FailureAnalysis(cause.getMessage(), action, null);
	}

}
