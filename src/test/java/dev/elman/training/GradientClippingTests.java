package dev.elman.training;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.elman.engine.ComputeEngine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

class GradientClippingTests {

	@BeforeAll
	static void loadEngine() {
		ComputeEngine.startOnCpu();
	}

	/** Two arrays whose global L2 norm is 10: sqrt(6^2 + 8^2). */
	private static NDList normTen(NDManager manager) {
		return new NDList(manager.create(new float[] { 6, 0 }), manager.create(new float[][] { { 0 }, { 8 } }));
	}

	@Test
	void measuresTheNormOfAllGradientsTogether() {
		try (NDManager manager = NDManager.newBaseManager()) {
			assertThat(GradientClipping.globalNorm(normTen(manager))).isCloseTo(10f, offset(1e-6f));
		}
	}

	@Test
	void scalesAGradientOfNormTenDownToFiveKeepingItsDirection() {
		try (NDManager manager = NDManager.newBaseManager()) {
			NDList gradients = normTen(manager);
			boolean clipped = GradientClipping.clip(gradients, 10f, 5.0);
			assertThat(clipped).isTrue();
			assertThat(gradients.get(0).toFloatArray()).containsExactly(3f, 0f);
			assertThat(gradients.get(1).toFloatArray()).containsExactly(0f, 4f);
			assertThat(GradientClipping.globalNorm(gradients)).isCloseTo(5f, offset(1e-6f));
		}
	}

	@Test
	void leavesAGradientBelowTheThresholdUntouched() {
		try (NDManager manager = NDManager.newBaseManager()) {
			NDList gradients = normTen(manager);
			assertThat(GradientClipping.clip(gradients, 10f, 20.0)).isFalse();
			assertThat(GradientClipping.clip(gradients, 10f, 10.0)).isFalse();
			assertThat(GradientClipping.clip(gradients, 10f, 0)).isFalse();
			assertThat(gradients.get(0).toFloatArray()).containsExactly(6f, 0f);
			assertThat(gradients.get(1).toFloatArray()).containsExactly(0f, 8f);
		}
	}

}
