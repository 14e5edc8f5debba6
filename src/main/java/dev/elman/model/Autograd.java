package dev.elman.model;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Switches PyTorch's gradient recording for the current thread only.
 *
 * <p>
 * DJL's {@code GradientCollector} for PyTorch is a process-wide singleton (a second one
 * throws), which would forbid two trainings at once. PyTorch's grad mode itself is
 * thread-local, so a scope per thread is all a training loop needs.
 */
public final class Autograd implements AutoCloseable {

	private final boolean previous;

	private Autograd(boolean enabled) {
		this.previous = JniUtils.isGradMode();
		JniUtils.setGradMode(enabled);
	}

	/**
	 * Records operations for backpropagation on this thread until closed.
	 * @return the scope; close it to restore the previous mode
	 */
	public static Autograd recording() {
		return new Autograd(true);
	}

	/**
	 * Records nothing on this thread until closed: for inference, so parameters that
	 * require gradients build no graph.
	 * @return the scope; close it to restore the previous mode
	 */
	public static Autograd disabled() {
		return new Autograd(false);
	}

	/**
	 * Backpropagates from a scalar, accumulating into the gradients of the parameters.
	 * @param scalar the scalar to differentiate, on a manager that may hold one more
	 * array
	 */
	public static void backward(NDArray scalar) {
		NDArray seed = scalar.onesLike();
		JniUtils.backward((PtNDArray) scalar, (PtNDArray) seed, false, false);
	}

	@Override
	public void close() {
		JniUtils.setGradMode(this.previous);
	}

}
