package dev.elman.model;

import java.util.SplittableRandom;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;

/**
 * PyTorch's default initialisation drawn from a seeded Java generator: the same seed
 * gives the same weights on every machine and device, whatever other threads do with
 * PyTorch's global generator meanwhile.
 */
final class PyTorchDefaultInitializer implements Initializer {

	private final SplittableRandom random;

	private final Distribution distribution;

	private final double scale;

	private PyTorchDefaultInitializer(SplittableRandom random, Distribution distribution, double scale) {
		this.random = random;
		this.distribution = distribution;
		this.scale = scale;
	}

	/** {@code N(0, 1)}, as {@code nn.Embedding}. */
	static PyTorchDefaultInitializer normal(SplittableRandom random) {
		return new PyTorchDefaultInitializer(random, Distribution.NORMAL, 1.0);
	}

	/**
	 * {@code U(-1/sqrt(fanIn), 1/sqrt(fanIn))}, as {@code nn.RNN} (with the hidden size)
	 * and {@code nn.Linear} (with its input width) do.
	 */
	static PyTorchDefaultInitializer uniform(SplittableRandom random, long fanIn) {
		return new PyTorchDefaultInitializer(random, Distribution.UNIFORM, 1.0 / Math.sqrt(fanIn));
	}

	@Override
	public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
		float[] values = new float[Math.toIntExact(shape.size())];
		for (int i = 0; i < values.length; i++) {
			values[i] = (float) ((this.distribution == Distribution.NORMAL) ? this.random.nextGaussian()
					: this.scale * (2.0 * this.random.nextDouble() - 1.0));
		}
		return manager.create(values, shape).toType(dataType, false);
	}

	private enum Distribution {

		NORMAL, UNIFORM

	}

}
