package dev.elman.model;

import java.util.SplittableRandom;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;

/**
 * A random (semi-)orthogonal matrix drawn from a seeded Java generator, as PyTorch's
 * {@code nn.init.orthogonal_} makes it: the Q of a Gaussian matrix's QR decomposition
 * with R's diagonal positive (Haar-distributed), orthonormal rows when the matrix is wide
 * or square, orthonormal columns when it is tall (the gated cells' stacked gates).
 *
 * <p>
 * Modified Gram-Schmidt in double precision: DJL's PyTorch binding has no QR. Its cost
 * grows with the cube of the hidden size: about 15 ms at 128 units, half a second at
 * 1,024, and it is paid once, when a job starts from scratch.
 */
final class OrthogonalInitializer implements Initializer {

	private final SplittableRandom random;

	OrthogonalInitializer(SplittableRandom random) {
		this.random = random;
	}

	@Override
	public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
		if (shape.dimension() != 2) {
			throw new IllegalArgumentException("An orthogonal initialisation needs a matrix, not " + shape);
		}
		int rows = Math.toIntExact(shape.get(0));
		int columns = Math.toIntExact(shape.get(1));
		boolean wide = rows <= columns;
		double[][] vectors = orthonormal(wide ? rows : columns, wide ? columns : rows);
		float[] values = new float[rows * columns];
		for (int r = 0; r < rows; r++) {
			for (int c = 0; c < columns; c++) {
				values[r * columns + c] = (float) (wide ? vectors[r][c] : vectors[c][r]);
			}
		}
		return manager.create(values, shape).toType(dataType, false);
	}

	/**
	 * {@code count} orthonormal vectors of {@code length >= count}: Gaussian vectors
	 * orthonormalised in the order drawn, which is QR with R's diagonal positive.
	 */
	private double[][] orthonormal(int count, int length) {
		double[][] vectors = new double[count][length];
		for (double[] vector : vectors) {
			for (int i = 0; i < length; i++) {
				vector[i] = this.random.nextGaussian();
			}
		}
		for (int k = 0; k < count; k++) {
			double[] vector = vectors[k];
			for (int earlier = 0; earlier < k; earlier++) {
				subtract(vector, vectors[earlier], dot(vector, vectors[earlier]));
			}
			double norm = Math.sqrt(dot(vector, vector));
			for (int i = 0; i < length; i++) {
				vector[i] /= norm;
			}
		}
		return vectors;
	}

	/** Four partial sums: independent additions the processor can overlap. */
	private static double dot(double[] a, double[] b) {
		double s0 = 0;
		double s1 = 0;
		double s2 = 0;
		double s3 = 0;
		int i = 0;
		for (; i + 3 < a.length; i += 4) {
			s0 += a[i] * b[i];
			s1 += a[i + 1] * b[i + 1];
			s2 += a[i + 2] * b[i + 2];
			s3 += a[i + 3] * b[i + 3];
		}
		for (; i < a.length; i++) {
			s0 += a[i] * b[i];
		}
		return (s0 + s1) + (s2 + s3);
	}

	private static void subtract(double[] vector, double[] direction, double amount) {
		for (int i = 0; i < vector.length; i++) {
			vector[i] -= amount * direction[i];
		}
	}

}
