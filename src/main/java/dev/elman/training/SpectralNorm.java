package dev.elman.training;

import ai.djl.ndarray.NDArray;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/**
 * The largest singular value of a matrix. For the recurrent matrix {@code W_h} it tells
 * whether gradients through time tend to explode (well above 1) or vanish (well below 1).
 * For gated cells the matrix stacks the gates' recurrent weights.
 */
final class SpectralNorm {

	private SpectralNorm() {
	}

	static double largestSingularValue(NDArray matrix) {
		long rows = matrix.getShape().get(0);
		long columns = matrix.getShape().get(1);
		float[] values = matrix.toFloatArray();
		double[][] data = new double[(int) rows][(int) columns];
		for (int r = 0; r < rows; r++) {
			for (int c = 0; c < columns; c++) {
				data[r][c] = values[(int) (r * columns + c)];
			}
		}
		return new SingularValueDecomposition(MatrixUtils.createRealMatrix(data)).getNorm();
	}

}
