package dev.elman.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import dev.elman.engine.ComputeEngine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

/**
 * A step differentiated by hand in sigmoid space gives the loss and every gradient that
 * autograd gives through the network's own blocks, whatever the mix of lengths.
 */
class SigmoidSpaceTrainingTests {

	private static final List<String> SYMBOLS = List.of("a", "b", "c", "d", "e");

	/** Relative to the largest gradient of each parameter. */
	private static final double TOLERANCE = 1e-4;

	@BeforeAll
	static void loadEngine() {
		ComputeEngine.startOnCpu();
	}

	@ParameterizedTest
	@CsvSource({ "separate, 1, 9, 1", "tied, 1, 9, 3", "separate, 3, 12, 1", "separate, 2, 1, 1", "tied, 4, 6, 2",
			"separate, 0, 5, 1" })
	void givesTheLossAndGradientsAutogradGives(String sharing, float recurrentScale, int longestSource, long seed) {
		SplittableRandom random = new SplittableRandom(seed);
		List<long[]> sources = randomSequences(random, 40, longestSource, SYMBOLS.size() + Vocabulary.RESERVED);
		List<long[]> targets = randomSequences(random, 40, 6, SYMBOLS.size() + Vocabulary.RESERVED);
		assertSameAsAutograd(WeightSharing.fromId(sharing), recurrentScale, seed, sources, targets);
	}

	/** 40 symbols: the log-softmax runs along the last axis, not a transposed view. */
	@ParameterizedTest
	@CsvSource({ "separate", "tied" })
	void givesWhatAutogradGivesForALargerVocabulary(String sharing) {
		SplittableRandom random = new SplittableRandom(11);
		List<String> symbols = IntStream.range(0, 40).mapToObj((i) -> "s" + i).toList();
		List<long[]> sources = randomSequences(random, 30, 8, symbols.size() + Vocabulary.RESERVED);
		List<long[]> targets = randomSequences(random, 30, 5, symbols.size() + Vocabulary.RESERVED);
		assertSameAsAutograd(WeightSharing.fromId(sharing), 1, 3, sources, targets, symbols);
	}

	@ParameterizedTest
	@CsvSource({ "separate", "tied" })
	void givesWhatAutogradGivesForBatchesAtTheEdges(String sharing) {
		WeightSharing weights = WeightSharing.fromId(sharing);
		// Every source empty: the decoder starts from the zero state, the encoder learns
		// nothing.
		assertSameAsAutograd(weights, 1, 4, List.of(new long[0], new long[0], new long[0]),
				List.of(ids(5, 6), ids(7), ids()));
		// One row.
		assertSameAsAutograd(weights, 1, 5, List.of(ids(4, 5, 6)), List.of(ids(6, 5)));
		// Every target empty: one decoder step, the end symbol.
		assertSameAsAutograd(weights, 1, 6, List.of(ids(4, 5), ids(6), ids(4, 4, 4)), List.of(ids(), ids(), ids()));
	}

	private static void assertSameAsAutograd(WeightSharing sharing, float recurrentScale, long seed,
			List<long[]> sources, List<long[]> targets) {
		assertSameAsAutograd(sharing, recurrentScale, seed, sources, targets, SYMBOLS);
	}

	private static void assertSameAsAutograd(WeightSharing sharing, float recurrentScale, long seed,
			List<long[]> sources, List<long[]> targets, List<String> symbols) {
		ModelSpec spec = ModelSpec.defaults().withEmbeddingSize(8).withHiddenSize(24).withWeightSharing(sharing);
		try (Seq2SeqModel model = Seq2SeqModel.create(spec, Vocabulary.of(symbols), Device.cpu(), seed)) {
			// Larger recurrent weights push the states into tanh's flat ends; zero ones
			// leave only the input path.
			for (Parameter matrix : model.network().recurrentMatrices().values()) {
				matrix.getArray().muli(recurrentScale);
			}
			int[] rows = IntStream.range(0, sources.size()).toArray();
			ParameterStore store = model.newParameterStore();
			float expectedLoss;
			try (NDManager arrays = model.manager().newSubManager(); Autograd recording = Autograd.recording()) {
				SourceBatch batch = SourceBatch.of(arrays, sources, rows);
				TeacherForcedLabels labelled = TeacherForcedLabels.of(arrays, targets, batch.order());
				NDArray logits = model.network().teacherForced(store, batch, labelled.inputs(), 0, true);
				NDArray loss = labelled.loss().apply(logits);
				Autograd.backward(loss);
				expectedLoss = loss.getFloat();
			}
			Map<String, float[]> expected = gradientsThenZero(model);

			float actualLoss;
			Map<String, float[]> actual;
			try (NDManager arrays = model.manager().newSubManager()) {
				PackedSources packed = PackedSources.of(sources, rows);
				int[] order = packed.order();
				long[][] ordered = new long[order.length][];
				long tokens = 0;
				for (int i = 0; i < order.length; i++) {
					ordered[i] = targets.get(order[i]);
					tokens += ordered[i].length + 1;
				}
				SigmoidSpaceTraining.Step step = SigmoidSpaceTraining.lossAndGradient(model.network(), store, packed,
						ordered, 1f / tokens, arrays);
				actualLoss = step.loss();
				actual = byParameter(model, step.gradient().toFloatArray());
				// Held-out evaluation's loss alone: the same forward pass, to the bit.
				assertThat(SigmoidSpaceTraining.loss(model.network(), store, packed, ordered, 1f / tokens, arrays))
					.isEqualTo(actualLoss);
			}
			assertThat(gradientsThenZero(model).values()).as("nothing added to the parameters' own gradients")
				.allMatch((gradient) -> IntStream.range(0, gradient.length).allMatch((i) -> gradient[i] == 0));

			assertThat(expected.values()).as("the batch trains something")
				.anyMatch((gradient) -> gradient.length > 0 && gradient[0] != 0);
			assertThat(actualLoss).isCloseTo(expectedLoss, offset(1e-5f));
			assertThat(actual.keySet()).isEqualTo(expected.keySet());
			for (String name : expected.keySet()) {
				assertClose(name, actual.get(name), expected.get(name));
			}
		}
	}

	@Test
	void leavesNothingOnTheParametersManager() {
		try (Seq2SeqModel model = Seq2SeqModel.create(ModelSpec.defaults().withEmbeddingSize(8).withHiddenSize(16),
				Vocabulary.of(List.of("a", "b", "c")), Device.cpu(), 5)) {
			SplittableRandom random = new SplittableRandom(2);
			List<long[]> sources = randomSequences(random, 16, 7, model.vocabulary().size());
			List<long[]> targets = randomSequences(random, 16, 4, model.vocabulary().size());
			int[] rows = IntStream.range(0, sources.size()).toArray();
			ParameterStore store = model.newParameterStore();
			int before = model.manager().getManagedArrays().size();
			for (int i = 0; i < 3; i++) {
				try (NDManager arrays = model.manager().newSubManager()) {
					PackedSources packed = PackedSources.of(sources, rows);
					long[][] ordered = IntStream.of(packed.order()).mapToObj(targets::get).toArray(long[][]::new);
					SigmoidSpaceTraining.lossAndGradient(model.network(), store, packed, ordered, 0.01f, arrays);
				}
			}
			assertThat(model.manager().getManagedArrays()).hasSize(before);
		}
	}

	@Test
	void appliesToOneLayerOfTheTanhCellOnTheCpuWithoutACuttingWindowAndACharacterVocabulary() {
		ModelSpec tanh = ModelSpec.defaults();
		Device cpu = Device.cpu();
		assertThat(SigmoidSpaceTraining.supports(tanh, cpu, 40, 0, 30, 12)).isTrue();
		assertThat(SigmoidSpaceTraining.supports(tanh, cpu, 40, 30, 30, 12)).isTrue();
		assertThat(SigmoidSpaceTraining.supports(tanh, cpu, 40, 29, 30, 12)).isFalse();
		assertThat(SigmoidSpaceTraining.supports(tanh, cpu, 40, 20, 10, 21)).isFalse();
		assertThat(SigmoidSpaceTraining.supports(tanh, cpu, SigmoidSpaceTraining.MOST_SYMBOLS, 0, 30, 12)).isTrue();
		assertThat(SigmoidSpaceTraining.supports(tanh, cpu, SigmoidSpaceTraining.MOST_SYMBOLS + 1, 0, 30, 12))
			.isFalse();
		assertThat(SigmoidSpaceTraining.supports(tanh.withLayers(2), cpu, 40, 0, 30, 12)).isFalse();
		assertThat(SigmoidSpaceTraining.supports(tanh.withCell(Cell.GRU), cpu, 40, 0, 30, 12)).isFalse();
		assertThat(SigmoidSpaceTraining.supports(tanh.withCell(Cell.RNN_RELU), cpu, 40, 0, 30, 12)).isFalse();
		assertThat(SigmoidSpaceTraining.supports(tanh, Device.gpu(), 40, 0, 30, 12)).isFalse();
	}

	@Test
	void aBatchWhoseOneHotMatricesWouldPassTheBoundIsLeftToAutograd() {
		assertThat(SigmoidSpaceTraining.fits(17, 128, 5, 128 * 7)).isTrue();
		assertThat(SigmoidSpaceTraining.fits(1_000, 128, 100, 128 * 100)).isTrue();
		// 65,536 rows of 112 decoder steps over 1,004 symbols: more values than an int
		// counts.
		assertThat(SigmoidSpaceTraining.fits(1_004, 65_536, 112, 65_536)).isFalse();
		assertThat(SigmoidSpaceTraining.fits(1_004, 16, 5, 20_000)).isFalse();
	}

	/** A flat gradient cut into the parameters', in the order of getParameters(). */
	private static Map<String, float[]> byParameter(Seq2SeqModel model, float[] flat) {
		Map<String, float[]> gradients = new LinkedHashMap<>();
		int at = 0;
		for (var pair : model.network().getParameters()) {
			int size = (int) pair.getValue().getArray().size();
			gradients.put(pair.getKey(), java.util.Arrays.copyOfRange(flat, at, at + size));
			at += size;
		}
		assertThat(at).isEqualTo(flat.length);
		return gradients;
	}

	private static long[] ids(long... ids) {
		return ids;
	}

	private static Map<String, float[]> gradientsThenZero(Seq2SeqModel model) {
		Map<String, float[]> gradients = new LinkedHashMap<>();
		model.network().getParameters().forEach((pair) -> {
			try (NDArray gradient = pair.getValue().getArray().getGradient()) {
				gradients.put(pair.getKey(), gradient.toFloatArray());
			}
			JniUtils.zeroGrad((PtNDArray) pair.getValue().getArray());
		});
		return gradients;
	}

	private static void assertClose(String name, float[] actual, float[] expected) {
		assertThat(actual).as(name).hasSameSizeAs(expected);
		double largest = 0;
		double worst = 0;
		for (int i = 0; i < expected.length; i++) {
			largest = Math.max(largest, Math.abs(expected[i]));
			worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
		}
		if (largest == 0) {
			// A gradient that must vanish (no recurrent path, a one-symbol encoder's
			// W_h), up to rounding where two terms cancel.
			assertThat(worst).as(name).isLessThan(1e-6);
		}
		else {
			assertThat(worst / largest).as(name).isLessThan(TOLERANCE);
		}
	}

	private static List<long[]> randomSequences(SplittableRandom random, int count, int longest, int vocabulary) {
		List<long[]> sequences = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			// Empty ones included.
			sequences.add(random.longs(random.nextInt(longest + 1), Vocabulary.RESERVED, vocabulary).toArray());
		}
		return sequences;
	}

}
