package dev.elman.training;

import ai.djl.ndarray.NDArray;

/**
 * Cross-entropy over the real target symbols only. DJL's {@code sequenceMask} is not
 * implemented on PyTorch, so the padding mask is an explicit 0/1 array.
 */
final class SequenceLoss {

	private SequenceLoss() {
	}

	/**
	 * Returns the mean negative log-likelihood of the labels where the mask is 1.
	 * @param logits {@code (T, B, V)}
	 * @param labels {@code (T, B)} int64
	 * @param mask {@code (T, B)}, 1 on real labels and 0 on padding
	 * @param tokens the number of ones in the mask (known on the host, so no device sync)
	 * @return a scalar
	 */
	static NDArray maskedCrossEntropy(NDArray logits, NDArray labels, NDArray mask, long tokens) {
		NDArray logProbabilities = logits.logSoftmax(-1);
		NDArray picked = logProbabilities.gather(labels.expandDims(-1), -1).squeeze(-1);
		return picked.mul(mask).sum().div(-(float) tokens);
	}

}
