package dev.elman.training;

import java.util.Random;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.elman.engine.ComputeEngine;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SpectralNormTests {

	@BeforeAll
	static void loadEngine() {
		ComputeEngine.startOnCpu();
	}

	/**
	 * Against a full SVD: square, the gated cells' tall stacks, a trained-looking scale.
	 */
	@Test
	void agreesWithAFullSingularValueDecomposition() {
		Random random = new Random(1984);
		int[][] shapes = { { 64, 64 }, { 128, 128 }, { 3 * 32, 32 }, { 4 * 48, 48 } };
		for (int[] shape : shapes) {
			for (double scale : new double[] { 0.1, 1, 6 }) {
				float[] values = new float[shape[0] * shape[1]];
				double[][] exact = new double[shape[0]][shape[1]];
				for (int r = 0; r < shape[0]; r++) {
					for (int c = 0; c < shape[1]; c++) {
						values[r * shape[1] + c] = (float) (scale * random.nextGaussian() / Math.sqrt(shape[1]));
						exact[r][c] = values[r * shape[1] + c];
					}
				}
				double expected = new SingularValueDecomposition(MatrixUtils.createRealMatrix(exact)).getNorm();
				try (NDManager manager = NDManager.newBaseManager()) {
					NDArray matrix = manager.create(values, new Shape(shape[0], shape[1]));
					assertThat(SpectralNorm.largestSingularValue(matrix)).as("%dx%d at %s", shape[0], shape[1], scale)
						.isCloseTo(expected, within(expected * 2e-3));
				}
			}
		}
	}

	@Test
	void knownValuesAndTheEdges() {
		try (NDManager manager = NDManager.newBaseManager()) {
			// Singular values 3, 2.9 and 1: a close second does not fool it.
			NDArray diagonal = manager.create(new float[] { 1, 0, 0, 0, 2.9f, 0, 0, 0, 3 }, new Shape(3, 3));
			assertThat(SpectralNorm.largestSingularValue(diagonal)).isCloseTo(3, within(3e-3));
			NDArray identity = manager.eye(16);
			assertThat(SpectralNorm.largestSingularValue(identity)).isCloseTo(1, within(1e-6));
			assertThat(SpectralNorm.largestSingularValue(manager.zeros(new Shape(8, 8)))).isZero();
		}
	}

	/** It leaves nothing behind in the parameters' manager, however many rounds. */
	@Test
	void leavesNoArraysBehind() {
		try (NDManager manager = NDManager.newBaseManager()) {
			NDArray matrix = manager.randomNormal(new Shape(32, 32));
			int before = manager.getManagedArrays().size();
			SpectralNorm.largestSingularValue(matrix);
			assertThat(manager.getManagedArrays()).hasSize(before);
		}
	}

}
