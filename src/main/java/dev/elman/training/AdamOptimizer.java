package dev.elman.training;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;

/**
 * Adam with PyTorch's defaults ({@code beta1 = 0.9, beta2 = 0.999, eps = 1e-8}), through
 * the engine's fused update kernel.
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

	private final List<Parameter> parameters;

	private final NDManager state;

	private final NDArray[] means;

	private final NDArray[] variances;

	private final float learningRate;

	private long steps;

	AdamOptimizer(List<Parameter> parameters, double learningRate, NDManager parent) {
		this.parameters = List.copyOf(parameters);
		this.learningRate = (float) learningRate;
		this.state = parent.newSubManager();
		this.means = new NDArray[parameters.size()];
		this.variances = new NDArray[parameters.size()];
		for (int i = 0; i < parameters.size(); i++) {
			NDArray weight = parameters.get(i).getArray();
			this.means[i] = this.state.zeros(weight.getShape(), weight.getDataType());
			this.variances[i] = this.state.zeros(weight.getShape(), weight.getDataType());
		}
	}

	/**
	 * Updates every parameter from its gradient and zeroes the gradients.
	 * @param gradients one per parameter, in the order given at construction
	 */
	void step(NDList gradients) {
		this.steps++;
		double correction1 = 1.0 - Math.pow(BETA1, this.steps);
		double correction2 = 1.0 - Math.pow(BETA2, this.steps);
		float correctedRate = (float) (this.learningRate * Math.sqrt(correction2) / correction1);
		for (int i = 0; i < this.parameters.size(); i++) {
			NDArray weight = this.parameters.get(i).getArray();
			weight.getNDArrayInternal()
				.adamUpdate(new NDList(weight, gradients.get(i), this.means[i], this.variances[i]), new NDList(weight),
						this.learningRate, correctedRate, 0f, 1f, -1f, BETA1, BETA2, EPSILON, true, false);
		}
	}

	long steps() {
		return this.steps;
	}

	void save(DataOutputStream out) throws IOException {
		out.writeLong(this.steps);
		NDList moments = new NDList(2 * this.means.length);
		for (int i = 0; i < this.means.length; i++) {
			moments.add(this.means[i]);
			moments.add(this.variances[i]);
		}
		moments.encode(out);
	}

	void load(DataInputStream in) throws IOException {
		long savedSteps = in.readLong();
		NDList moments = NDList.decode(this.state, in);
		if (moments.size() != 2 * this.means.length) {
			throw new IOException(
					"The optimizer state has " + moments.size() + " arrays, expected " + 2 * this.means.length);
		}
		for (int i = 0; i < this.means.length; i++) {
			NDArray mean = moments.get(2 * i);
			NDArray variance = moments.get(2 * i + 1);
			if (!mean.getShape().equals(this.means[i].getShape())
					|| !variance.getShape().equals(this.variances[i].getShape())) {
				throw new IOException("The optimizer state does not fit parameter " + i);
			}
			ai.djl.Device device = this.means[i].getDevice();
			this.means[i].close();
			this.variances[i].close();
			this.means[i] = mean.toDevice(device, false);
			this.variances[i] = variance.toDevice(device, false);
		}
		this.steps = savedSteps;
	}

	@Override
	public void close() {
		this.state.close();
	}

}
