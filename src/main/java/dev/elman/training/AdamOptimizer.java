package dev.elman.training;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * Adam with PyTorch's defaults ({@code beta1 = 0.9, beta2 = 0.999, eps = 1e-8}) over a
 * model's flat parameter array, through the engine's fused update kernel: one kernel call
 * per step for all weights.
 *
 * <p>
 * DJL's own {@code Adam} keeps its moment estimates private; this one owns them so that a
 * checkpoint can save and restore them, and a resumed run continues its loss curve
 * instead of restarting Adam's warm-up.
 */
final class AdamOptimizer implements AutoCloseable {

	private static final float BETA1 = 0.9f;

	private static final float BETA2 = 0.999f;

	private static final float EPSILON = 1e-8f;

	private final NDArray weights;

	private final NDManager state;

	private NDArray mean;

	private NDArray variance;

	private final float learningRate;

	private long steps;

	AdamOptimizer(NDArray weights, double learningRate, NDManager parent) {
		this.weights = weights;
		this.learningRate = (float) learningRate;
		this.state = parent.newSubManager();
		this.mean = this.state.zeros(weights.getShape(), weights.getDataType());
		this.variance = this.state.zeros(weights.getShape(), weights.getDataType());
	}

	/**
	 * Updates the weights in place at the rate given when made.
	 * @param gradient the gradient of every weight, laid out as the weights
	 */
	void step(NDArray gradient) {
		step(gradient, this.learningRate);
	}

	/**
	 * Updates the weights in place.
	 * @param gradient the gradient of every weight, laid out as the weights
	 * @param rate this step's learning rate
	 */
	void step(NDArray gradient, double rate) {
		this.steps++;
		double correction1 = 1.0 - Math.pow(BETA1, this.steps);
		double correction2 = 1.0 - Math.pow(BETA2, this.steps);
		float correctedRate = (float) (rate * Math.sqrt(correction2) / correction1);
		this.weights.getNDArrayInternal()
			.adamUpdate(new NDList(this.weights, gradient, this.mean, this.variance), new NDList(this.weights),
					(float) rate, correctedRate, 0f, 1f, -1f, BETA1, BETA2, EPSILON, true, false);
	}

	long steps() {
		return this.steps;
	}

	void save(DataOutputStream out) throws IOException {
		out.writeLong(this.steps);
		new NDList(this.mean, this.variance).encode(out);
	}

	void load(DataInputStream in) throws IOException {
		long savedSteps = in.readLong();
		NDList moments = NDList.decode(this.state, in);
		if (moments.size() != 2 || !moments.get(0).getShape().equals(this.weights.getShape())
				|| !moments.get(1).getShape().equals(this.weights.getShape())) {
			throw new IOException("The optimizer state does not fit the model");
		}
		this.mean.close();
		this.variance.close();
		this.mean = moments.get(0).toDevice(this.weights.getDevice(), false);
		this.variance = moments.get(1).toDevice(this.weights.getDevice(), false);
		this.steps = savedSteps;
	}

	@Override
	public void close() {
		this.state.close();
	}

}
