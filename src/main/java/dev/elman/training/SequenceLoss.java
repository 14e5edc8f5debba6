package dev.elman.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Cross-entropy over the real target symbols only. DJL's {@code sequenceMask} is not
 * implemented on PyTorch, so the padding mask is an explicit 0/1 array.
 *
 * <p>
 * PyTorch's CPU log-softmax along the last axis is vectorised across that axis, and falls
 * to a slow path when it is short: for 15 classes it measured 20 times slower than along
 * a middle axis, where it vectorises across the batch instead. Small vocabularies (the
 * book's character sets) are therefore normalised along a middle axis of a transposed
 * view.
 */
final class SequenceLoss {

	/** Below this many classes the transposed layout is used. */
	static final int SMALL_VOCABULARY = 32;

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
		NDArray picked;
		if (logits.getShape().get(2) < SMALL_VOCABULARY) {
			NDArray logProbabilities = logits.transpose(0, 2, 1).logSoftmax(1);
			picked = logProbabilities.gather(labels.expandDims(1), 1).squeeze(1);
		}
		else {
			NDArray logProbabilities = logits.logSoftmax(-1);
			picked = logProbabilities.gather(labels.expandDims(-1), -1).squeeze(-1);
		}
		// Not div(Number): DJL wraps the number in a scalar over Java memory and frees it
		// at once,
		// while autograd keeps that scalar for the backward pass, which then reads freed
		// memory.
		NDArray scale = logits.getManager().full(new Shape(), -1f / tokens, DataType.FLOAT32);
		return picked.mul(mask).sum().mul(scale);
	}

}
