package dev.elman.model;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.elman.engine.ComputeEngine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sigmoid-space form computes what the network's own blocks compute: the same encoder
 * states, logits and decoder states, row for row, whatever the mix of lengths.
 */
class SigmoidSpaceElmanTests {

	private static final float TOLERANCE = 2e-5f;

	@BeforeAll
	static void loadEngine() {
		ComputeEngine.startOnCpu();
	}

	@ParameterizedTest
	@CsvSource({ "1, separate, 1", "2, separate, 1", "3, tied, 1", "1, tied, 4", "2, separate, 3" })
	void encodesAndStepsAsTheNetworksBlocksDo(int layers, String sharing, float recurrentScale) {
		ModelSpec spec = ModelSpec.defaults()
			.withEmbeddingSize(8)
			.withHiddenSize(24)
			.withLayers(layers)
			.withWeightSharing(WeightSharing.fromId(sharing));
		try (Seq2SeqModel model = Seq2SeqModel.create(spec, Vocabulary.of(List.of("a", "b", "c", "d", "e")),
				Device.cpu(), 11);
				NDManager arrays = model.manager().newSubManager();
				Autograd noGradients = Autograd.disabled()) {
			// Larger weights drive the states into tanh's flat ends, where a badly
			// folded constant would show most.
			model.flatParameters().muli(recurrentScale);
			model.parametersChanged();
			List<long[]> sources = randomSources(40, 9, model.vocabulary().size(), 5);
			int[] rows = IntStream.range(0, sources.size()).toArray();
			NetworkSteps reference = new NetworkSteps(model.network(), model.newParameterStore());
			DecoderSteps folded = model.decoderSteps();
			assertThat(folded).isInstanceOf(SigmoidSpaceElman.class);

			DecoderSteps.Encoded expected = reference.encode(arrays, sources, rows);
			DecoderSteps.Encoded actual = folded.encode(arrays, sources, rows);
			// Both as (layers, B, hidden) tanh states in source order.
			NDArray expectedStates = bySource(stackLayers(expected.state()), expected.order());
			NDArray actualStates = bySource(fromSigmoid(actual.state()), actual.order());
			assertClose(actualStates, expectedStates);

			long[] tokens = new SplittableRandom(3).longs(sources.size(), Vocabulary.END, model.vocabulary().size())
				.toArray();
			NDList expectedStep = reference.step(arrays.create(tokens), unstack(expectedStates));
			NDList actualStep = folded.step(arrays.create(tokens), toSigmoid(actualStates));
			assertClose(actualStep.head(), expectedStep.head());
			assertClose(fromSigmoid(actualStep.subNDList(1)), stackLayers(expectedStep.subNDList(1)));
		}
	}

	@Test
	void decodingFollowsTheParametersAfterTheyChange() {
		try (Seq2SeqModel model = Seq2SeqModel.create(ModelSpec.defaults().withEmbeddingSize(8).withHiddenSize(16),
				Vocabulary.of(List.of("a", "b", "c")), Device.cpu(), 5);
				NDManager arrays = model.manager().newSubManager();
				Autograd noGradients = Autograd.disabled()) {
			List<long[]> sources = randomSources(6, 4, model.vocabulary().size(), 9);
			int[] rows = IntStream.range(0, sources.size()).toArray();
			DecoderSteps before = model.decoderSteps();
			assertThat(model.decoderSteps()).as("kept while the parameters stay").isSameAs(before);
			model.flatParameters().muli(-2);
			model.parametersChanged();
			DecoderSteps after = model.decoderSteps();
			assertThat(after).isNotSameAs(before);
			NetworkSteps reference = new NetworkSteps(model.network(), model.newParameterStore());
			DecoderSteps.Encoded expected = reference.encode(arrays, sources, rows);
			DecoderSteps.Encoded actual = after.encode(arrays, sources, rows);
			assertClose(bySource(fromSigmoid(actual.state()), actual.order()),
					bySource(stackLayers(expected.state()), expected.order()));
		}
	}

	@Test
	void encodingHoldsOneStepsArraysAtATimeHoweverLongTheSources() {
		try (Seq2SeqModel model = Seq2SeqModel.create(ModelSpec.defaults().withEmbeddingSize(8).withHiddenSize(16),
				Vocabulary.of(List.of("a", "b", "c")), Device.cpu(), 5); Autograd noGradients = Autograd.disabled()) {
			DecoderSteps folded = model.decoderSteps();
			int[] held = new int[2];
			int[] lengths = { 20, 400 };
			for (int i = 0; i < lengths.length; i++) {
				try (NDManager batch = model.manager().newSubManager()) {
					List<long[]> sources = new ArrayList<>();
					for (int row = 0; row < 8; row++) {
						// Two lengths, so rows are also set aside part way.
						sources.add(new long[lengths[i] - (row % 2)]);
					}
					folded.encode(batch, sources, IntStream.range(0, sources.size()).toArray());
					held[i] = ((ai.djl.ndarray.BaseNDManager) batch).getManagedArrays().size();
				}
			}
			assertThat(held[1]).isEqualTo(held[0]);
		}
	}

	private static List<long[]> randomSources(int count, int longest, int vocabulary, long seed) {
		SplittableRandom random = new SplittableRandom(seed);
		List<long[]> sources = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			// Empty sources included: their state is the zero state.
			sources.add(random.longs(random.nextInt(longest + 1), Vocabulary.RESERVED, vocabulary).toArray());
		}
		return sources;
	}

	/** (layers, B, H) from a list of (B, H) sigmoid states, as tanh states. */
	private static NDArray fromSigmoid(NDList states) {
		NDList layers = new NDList();
		for (NDArray s : states) {
			layers.add(s.mul(2).sub(1));
		}
		return NDArrays.stack(layers);
	}

	private static NDList toSigmoid(NDArray states) {
		NDList layers = new NDList();
		for (int layer = 0; layer < states.getShape().get(0); layer++) {
			layers.add(states.get(layer).add(1).div(2));
		}
		return layers;
	}

	private static NDArray stackLayers(NDList state) {
		return state.singletonOrThrow();
	}

	private static NDList unstack(NDArray states) {
		return new NDList(states);
	}

	/** Reorders the batch axis from {@code order} to source order. */
	private static NDArray bySource(NDArray states, int[] order) {
		long[] position = new long[order.length];
		for (int i = 0; i < order.length; i++) {
			position[order[i]] = i;
		}
		return states.get(new NDIndex(":, {}", states.getManager().create(position)));
	}

	private static void assertClose(NDArray actual, NDArray expected) {
		assertThat(actual.getShape()).isEqualTo(expected.getShape());
		float largest = actual.sub(expected).abs().max().getFloat();
		assertThat(largest).isLessThan(TOLERANCE);
	}

}
