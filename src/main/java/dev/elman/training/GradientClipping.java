package dev.elman.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;

/**
 * Clipping by global L2 norm: all gradients together are treated as one vector {@code g},
 * and {@code g *= threshold / |g|} when {@code |g| > threshold}, which keeps the
 * direction of the step and bounds its size (the remedy for exploding gradients).
 */
final class GradientClipping {

	private GradientClipping() {
	}

	/**
	 * Returns the L2 norm of all gradients taken together.
	 * @param gradients the gradients, on a manager that may hold a few temporaries
	 * @return the global norm
	 */
	static float globalNorm(NDList gradients) {
		NDList squares = new NDList(gradients.size());
		for (NDArray gradient : gradients) {
			squares.add(gradient.square().sum());
		}
		return (float) Math.sqrt(NDArrays.stack(squares).sum().getFloat());
	}

	/**
	 * Clips in place.
	 * @param gradients the gradients
	 * @param norm their global norm
	 * @param threshold the largest norm allowed, 0 for no clipping
	 * @return true if the gradients were scaled down
	 */
	static boolean clip(NDList gradients, float norm, double threshold) {
		if (threshold <= 0 || !(norm > threshold)) {
			return false;
		}
		float scale = (float) (threshold / norm);
		for (NDArray gradient : gradients) {
			gradient.muli(scale);
		}
		return true;
	}

}
