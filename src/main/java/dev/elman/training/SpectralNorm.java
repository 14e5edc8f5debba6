package dev.elman.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.elman.model.Autograd;

/**
 * The largest singular value of a matrix. For the recurrent matrix {@code W_h} it tells
 * whether gradients through time tend to explode (well above 1) or vanish (well below 1).
 * For gated cells the matrix stacks the gates' recurrent weights.
 *
 * <p>
 * Power iteration on {@code W^T W}, two matrix-vector products a round in PyTorch, until
 * the estimate moves by less than a relative {@value #TOLERANCE}: a full SVD on the JVM
 * took 24 ms at 128 units, 1.5 s at 512 and minutes at 4,400, every epoch, and could not
 * be cancelled. The estimate {@code sqrt(|W^T W v|)} for a unit {@code v} approaches the
 * value from below.
 */
final class SpectralNorm {

	/** Four significant digits are more than a chart or a threshold of 1 needs. */
	static final double TOLERANCE = 1e-5;

	/** Rounds at most: about 5 s for a 4,400-unit matrix on two cores. */
	static final int MAX_ROUNDS = 300;

	private SpectralNorm() {
	}

	static double largestSingularValue(NDArray matrix) {
		long columns = matrix.getShape().get(1);
		try (NDManager scratch = matrix.getManager().newSubManager(); Autograd off = Autograd.disabled()) {
			NDArray weights = matrix.duplicate();
			weights.attach(scratch);
			NDArray transposed = weights.transpose();
			NDArray vector = scratch.ones(new Shape(columns, 1)).div(Math.sqrt(columns));
			double estimate = 0;
			for (int round = 0; round < MAX_ROUNDS; round++) {
				double length;
				NDArray product;
				try (NDArray projected = weights.matMul(vector)) {
					product = transposed.matMul(projected);
				}
				try (NDArray norm = product.norm()) {
					length = norm.getFloat();
				}
				if (!(length > 0) || Double.isInfinite(length)) {
					// A zero matrix, or one that overflowed: nothing to iterate on.
					return Math.sqrt(length);
				}
				vector.close();
				vector = product.div(length);
				product.close();
				double next = Math.sqrt(length);
				if (Math.abs(next - estimate) <= TOLERANCE * next) {
					return next;
				}
				estimate = next;
			}
			return estimate;
		}
	}

}
