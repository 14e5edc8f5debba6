package dev.elman.model;

import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.elman.engine.ComputeEngine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

class Seq2SeqNetworkTests {

	@BeforeAll
	static void loadEngine() {
		ComputeEngine.startOnCpu();
	}

	@ParameterizedTest
	@EnumSource(Cell.class)
	void producesLogitsPerTargetStepAndAStatePerLayer(Cell cell) {
		ModelSpec spec = ModelFixtures.small().withCell(cell).withLayers(2);
		try (Seq2SeqModel model = ModelFixtures.untrained(spec);
				NDManager arrays = model.manager().newSubManager();
				Autograd noGradients = Autograd.disabled()) {
			Seq2SeqNetwork network = model.network();
			ParameterStore parameters = model.newParameterStore();
			NDArray logits = network.teacherForced(parameters, ModelFixtures.ids(arrays, 5, 3),
					ModelFixtures.ids(arrays, 4, 3), 0, false);
			assertThat(logits.getShape()).isEqualTo(new Shape(4, 3, 14));
			NDList state = network.encode(parameters, ModelFixtures.ids(arrays, 5, 3), 0, false);
			assertThat(state).hasSize(cell.stateArity());
			assertThat(state.head().getShape()).isEqualTo(new Shape(2, 3, 16));
			NDList step = network.step(parameters, ModelFixtures.ids(arrays, 1, 3), state);
			assertThat(step.head().getShape()).isEqualTo(new Shape(1, 3, 14));
			assertThat(step.subNDList(1)).hasSize(cell.stateArity());
		}
	}

	@Test
	void eachStackedLayerHasItsOwnRecurrentWeights() {
		try (Seq2SeqModel model = ModelFixtures.untrained(ModelFixtures.small().withLayers(3))) {
			List<Parameter> matrices = List.copyOf(model.network().recurrentMatrices().values());
			assertThat(model.network().recurrentMatrices()).containsOnlyKeys("encoder.layer0", "encoder.layer1",
					"encoder.layer2", "decoder.layer0", "decoder.layer1", "decoder.layer2");
			assertThat(matrices).doesNotHaveDuplicates();
			assertThat(matrices.get(0).getArray().toFloatArray())
				.isNotEqualTo(matrices.get(1).getArray().toFloatArray());
		}
	}

	@Test
	void tiedWeightsAreOneSetSoTheModelIsSmaller() {
		try (Seq2SeqModel separate = ModelFixtures.untrained(ModelFixtures.small());
				Seq2SeqModel tied = ModelFixtures
					.untrained(ModelFixtures.small().withWeightSharing(WeightSharing.TIED))) {
			long embedding = 14 * 8;
			long recurrent = 16 * 8 + 16 * 16 + 16 + 16;
			assertThat(tied.network().parameterCount())
				.isEqualTo(separate.network().parameterCount() - embedding - recurrent);
			assertThat(tied.network().encoderBlock()).isSameAs(tied.network().decoderBlock());
			assertThat(tied.network().recurrentMatrices()).containsOnlyKeys("shared.layer0");
		}
	}

	@Test
	void withTiedWeightsAnUpdateOfTheEncoderChangesTheDecoder() {
		assertThat(decoderReactsToAnEncoderUpdate(WeightSharing.TIED)).isTrue();
		assertThat(decoderReactsToAnEncoderUpdate(WeightSharing.SEPARATE)).isFalse();
	}

	/**
	 * Takes one gradient step on a loss that only the encoder computes, then asks whether
	 * the decoder's next step from the same state changed.
	 */
	private static boolean decoderReactsToAnEncoderUpdate(WeightSharing sharing) {
		try (Seq2SeqModel model = ModelFixtures.untrained(ModelFixtures.small().withWeightSharing(sharing));
				NDManager arrays = model.manager().newSubManager()) {
			Seq2SeqNetwork network = model.network();
			ParameterStore parameters = model.newParameterStore();
			NDList state = network.zeroState(arrays, 2);
			float[] before = decoderStep(network, parameters, arrays, state);
			try (Autograd recording = Autograd.recording()) {
				NDArray encoderOnly = network.encode(parameters, ModelFixtures.ids(arrays, 4, 2), 0, true)
					.head()
					.square()
					.sum();
				Autograd.backward(encoderOnly);
			}
			try (Autograd noGradients = Autograd.disabled()) {
				for (Parameter parameter : network.encoderBlock().getParameters().values()) {
					NDArray gradient = parameter.getArray().getGradient();
					gradient.attach(arrays);
					parameter.getArray().subi(gradient.mul(0.5f));
				}
			}
			float[] after = decoderStep(network, parameters, arrays, state);
			return !java.util.Arrays.equals(before, after);
		}
	}

	private static float[] decoderStep(Seq2SeqNetwork network, ParameterStore parameters, NDManager arrays,
			NDList state) {
		try (Autograd noGradients = Autograd.disabled()) {
			NDList start = new NDList(state.head().duplicate());
			return network.step(parameters, ModelFixtures.ids(arrays, 1, 2), start).head().toFloatArray();
		}
	}

	@Test
	void truncatedBackpropagationReachesTheLastWindowOfTheSourceAndNothingBeforeIt() {
		// Source positions 0..5 hold the distinct ids 4..9, so embedding row (4 + t) is
		// position t.
		float[][] truncated = sourceEmbeddingGradientRows(2);
		for (int position = 0; position < 6; position++) {
			float norm = norm(truncated[4 + position]);
			if (position >= 4) {
				assertThat(norm).as("position %d, inside the window", position).isGreaterThan(0f);
			}
			else {
				assertThat(norm).as("position %d, beyond the window", position).isZero();
			}
		}
		float[][] full = sourceEmbeddingGradientRows(0);
		for (int position = 0; position < 6; position++) {
			assertThat(norm(full[4 + position])).as("position %d, full backpropagation", position).isGreaterThan(0f);
		}
	}

	@Test
	void windowsAreAlignedToTheEndOfTheEncoder() {
		assertThat(Seq2SeqNetwork.windows(7, 3, true)).containsExactly(new long[] { 0, 1 }, new long[] { 1, 4 },
				new long[] { 4, 7 });
		assertThat(Seq2SeqNetwork.windows(6, 3, true)).containsExactly(new long[] { 0, 3 }, new long[] { 3, 6 });
		assertThat(Seq2SeqNetwork.windows(7, 3, false)).containsExactly(new long[] { 0, 3 }, new long[] { 3, 6 },
				new long[] { 6, 7 });
	}

	private static float[][] sourceEmbeddingGradientRows(int window) {
		try (Seq2SeqModel model = ModelFixtures.untrained(ModelFixtures.small());
				NDManager arrays = model.manager().newSubManager()) {
			Seq2SeqNetwork network = model.network();
			ParameterStore parameters = model.newParameterStore();
			NDArray source = arrays.create(new long[] { 4, 5, 6, 7, 8, 9 }, new Shape(6, 1));
			try (Autograd recording = Autograd.recording()) {
				NDArray logits = network.teacherForced(parameters, source, ModelFixtures.ids(arrays, 3, 1), window,
						true);
				Autograd.backward(logits.square().sum());
			}
			Parameter table = network.sourceEmbedding().getDirectParameters().get("weight");
			float[] gradient = table.getArray().getGradient().toFloatArray();
			float[][] rows = new float[14][8];
			for (int row = 0; row < 14; row++) {
				System.arraycopy(gradient, row * 8, rows[row], 0, 8);
			}
			return rows;
		}
	}

	private static float norm(float[] values) {
		float sum = 0;
		for (float value : values) {
			sum += value * value;
		}
		return (float) Math.sqrt(sum);
	}

	@ParameterizedTest
	@EnumSource(Cell.class)
	void aBatchOfMixedLengthsEncodesEachRowExactlyAsAlone(Cell cell) {
		List<long[]> sources = List.of(new long[] { 4, 5, 6 }, new long[] { 7 }, new long[0], new long[] { 8, 9, 10 },
				new long[] { 11, 12 });
		try (Seq2SeqModel model = ModelFixtures.untrained(ModelFixtures.small().withCell(cell).withLayers(2));
				NDManager arrays = model.manager().newSubManager();
				Autograd noGradients = Autograd.disabled()) {
			Seq2SeqNetwork network = model.network();
			ParameterStore parameters = model.newParameterStore();
			SourceBatch batch = SourceBatch.of(arrays, sources, new int[] { 0, 1, 2, 3, 4 });
			assertThat(batch.order()).containsExactly(2, 1, 4, 0, 3);
			NDList together = network.encode(parameters, batch, 0, false);
			for (int row = 0; row < batch.size(); row++) {
				int source = batch.order()[row];
				NDList alone = network.encode(parameters, SourceBatch.of(arrays, sources, new int[] { source }), 0,
						false);
				for (int part = 0; part < together.size(); part++) {
					float[] expected = alone.get(part).toFloatArray();
					float[] actual = together.get(part)
						.get(new ai.djl.ndarray.index.NDIndex(":, {}", row))
						.toFloatArray();
					assertThat(actual).as("row %d part %d", row, part)
						.containsExactly(expected, org.assertj.core.data.Offset.offset(1e-6f));
				}
			}
		}
	}

	@ParameterizedTest
	@EnumSource(value = Cell.class, names = { "RNN_TANH", "RNN_RELU", "GRU" })
	void aBatchOfManyLengthsEncodedInOnePaddedCallGivesEachRowItsStateAlone(Cell cell) {
		List<long[]> sources = List.of(new long[] { 4, 5, 6, 7, 8, 9 }, new long[] { 7 }, new long[] { 8, 9, 10, 11 },
				new long[] { 11, 12 }, new long[] { 5, 5, 5, 5 }, new long[] { 13, 4, 6 });
		try (Seq2SeqModel model = ModelFixtures.untrained(ModelFixtures.small().withCell(cell));
				NDManager arrays = model.manager().newSubManager();
				Autograd noGradients = Autograd.disabled()) {
			Seq2SeqNetwork network = model.network();
			ParameterStore parameters = model.newParameterStore();
			SourceBatch batch = SourceBatch.of(arrays, sources, new int[] { 0, 1, 2, 3, 4, 5 });
			assertThat(batch.groups()).hasSizeGreaterThanOrEqualTo(Seq2SeqNetwork.PADDED_FROM_LENGTHS);
			NDList together = network.encode(parameters, batch, 0, false);
			assertThat(together.get(0).getShape()).isEqualTo(new ai.djl.ndarray.types.Shape(1, 6, 16));
			for (int row = 0; row < batch.size(); row++) {
				NDList alone = network.encode(parameters,
						SourceBatch.of(arrays, sources, new int[] { batch.order()[row] }), 0, false);
				float[] actual = together.get(0).get(new ai.djl.ndarray.index.NDIndex(":, {}", row)).toFloatArray();
				assertThat(actual).as("row %d", row)
					.containsExactly(alone.get(0).toFloatArray(), org.assertj.core.data.Offset.offset(1e-6f));
			}
		}
	}

}
