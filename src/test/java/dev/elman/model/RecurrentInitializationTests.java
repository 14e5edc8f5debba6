package dev.elman.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import dev.elman.engine.ComputeEngine;
import dev.elman.http.InvalidFieldException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;

class RecurrentInitializationTests {

	@BeforeAll
	static void loadEngine() {
		ComputeEngine.startOnCpu();
	}

	/**
	 * Orthogonal: {@code W^T W = I} for every layer of encoder and decoder; for the gated
	 * cells' stacked gates {@code (gates * H, H)} that is orthonormal columns.
	 */
	@ParameterizedTest
	@EnumSource(Cell.class)
	void everyRecurrentMatrixStartsOrthogonal(Cell cell) {
		ModelSpec spec = ModelFixtures.small().withCell(cell).withLayers(2);
		try (Seq2SeqModel model = create(spec, 7, RecurrentInitialization.ORTHOGONAL)) {
			Map<String, Parameter> matrices = model.network().recurrentMatrices();
			assertThat(matrices).hasSize(4);
			for (Parameter matrix : matrices.values()) {
				NDArray weight = matrix.getArray();
				assertThat(weight.getShape().get(0)).isEqualTo((long) cell.gates() * 16);
				float[] gram = weight.transpose().matMul(weight).toFloatArray();
				for (int i = 0; i < 16; i++) {
					for (int j = 0; j < 16; j++) {
						assertThat(gram[i * 16 + j]).as("%s (W^T W)[%d][%d]", matrix.getName(), i, j)
							.isCloseTo((i == j) ? 1f : 0f, within(1e-5f));
					}
				}
			}
			// The layers are drawn apart, not one matrix copied.
			List<Parameter> all = new ArrayList<>(matrices.values());
			assertThat(all.get(0).getArray().toFloatArray()).isNotEqualTo(all.get(1).getArray().toFloatArray());
		}
	}

	@Test
	void aSquareOrthogonalMatrixHasOrthonormalRowsToo() {
		try (Seq2SeqModel model = create(ModelFixtures.small(), 7, RecurrentInitialization.ORTHOGONAL)) {
			NDArray weight = model.network().recurrentMatrices().get("encoder.layer0").getArray();
			float[] gram = weight.matMul(weight.transpose()).toFloatArray();
			for (int i = 0; i < 16; i++) {
				assertThat(gram[i * 16 + i]).isCloseTo(1f, within(1e-5f));
				assertThat(gram[i * 16 + (i + 1) % 16]).isCloseTo(0f, within(1e-5f));
			}
		}
	}

	@Test
	void theSameSeedDrawsTheSameWeightsAndAnotherSeedOthers() {
		try (Seq2SeqModel first = create(ModelFixtures.small(), 7, RecurrentInitialization.ORTHOGONAL);
				Seq2SeqModel again = create(ModelFixtures.small(), 7, RecurrentInitialization.ORTHOGONAL);
				Seq2SeqModel other = create(ModelFixtures.small(), 8, RecurrentInitialization.ORTHOGONAL)) {
			assertThat(first.parameterBytes()).isEqualTo(again.parameterBytes());
			assertThat(first.parameterBytes()).isNotEqualTo(other.parameterBytes());
		}
	}

	/**
	 * Uniform is PyTorch's default: every entry within 1/sqrt(H), and nothing close to
	 * orthogonal (the column norms of a 16-unit matrix are about 0.58, not 1).
	 */
	@Test
	void uniformIsPyTorchsDefault() {
		try (Seq2SeqModel model = create(ModelFixtures.small(), 7, RecurrentInitialization.UNIFORM)) {
			NDArray weight = model.network().recurrentMatrices().get("encoder.layer0").getArray();
			for (float value : weight.toFloatArray()) {
				assertThat(Math.abs(value)).isLessThanOrEqualTo(0.25f);
			}
			float[] gram = weight.transpose().matMul(weight).toFloatArray();
			assertThat(gram[0]).isLessThan(0.8f);
		}
	}

	/**
	 * Only W_h changes: the input weights, embeddings and output layer start the same.
	 */
	@Test
	void onlyTheRecurrentMatricesStartDifferently() {
		try (Seq2SeqModel orthogonal = create(ModelFixtures.small(), 7, RecurrentInitialization.ORTHOGONAL);
				Seq2SeqModel uniform = create(ModelFixtures.small(), 7, RecurrentInitialization.UNIFORM)) {
			NDArray orthogonalInput = orthogonal.network()
				.encoderBlock()
				.getParameters()
				.get("l_0_i2h_WEIGHT")
				.getArray();
			NDArray uniformInput = uniform.network().encoderBlock().getParameters().get("l_0_i2h_WEIGHT").getArray();
			for (float value : orthogonalInput.toFloatArray()) {
				assertThat(Math.abs(value)).isLessThanOrEqualTo(0.25f);
			}
			// Drawn before the first W_h, from the same seeded stream.
			assertThat(orthogonalInput.toFloatArray()).isEqualTo(uniformInput.toFloatArray());
			assertThat(orthogonal.network().sourceEmbedding().getParameters().valueAt(0).getArray().toFloatArray())
				.isEqualTo(uniform.network().sourceEmbedding().getParameters().valueAt(0).getArray().toFloatArray());
		}
	}

	@Test
	void anUnknownSchemeIsRefusedNamingTheField() {
		assertThatExceptionOfType(InvalidFieldException.class)
			.isThrownBy(() -> RecurrentInitialization.fromId("identity"))
			.withMessage("recurrentInitialization must be one of orthogonal, uniform (was 'identity')");
	}

	private static Seq2SeqModel create(ModelSpec spec, long seed, RecurrentInitialization recurrent) {
		return Seq2SeqModel.create(spec, ModelFixtures.letters(), Device.cpu(), seed, recurrent);
	}

}
