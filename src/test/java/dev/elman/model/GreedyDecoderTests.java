package dev.elman.model;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import dev.elman.engine.ComputeEngine;
import dev.elman.http.InvalidFieldException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.data.Offset.offset;

class GreedyDecoderTests {

	private static Seq2SeqModel reversal;

	@BeforeAll
	static void train() throws Exception {
		ComputeEngine.startOnCpu();
		reversal = TrainedModels.reversal(TrainedModels.reversalSpec());
	}

	@AfterAll
	static void close() {
		reversal.close();
	}

	@Test
	void stopsAtTheEndSymbolAndReportsWhatItGenerated() {
		Generation generation = reversal.newDecoder().decode(List.of("abc"), 10).get(0);
		assertThat(generation.text()).isEqualTo("cba");
		assertThat(generation.tokenCount()).isEqualTo(3);
		assertThat(generation.stopReason()).isEqualTo(StopReason.END);
		assertThat(generation.unknownSymbols()).isZero();
		assertThat(generation.meanLogProbability()).isNegative().isGreaterThan(-0.5);
	}

	@Test
	void neverGeneratesPaddingOrTheBeginSymbolHoweverHighTheModelRatesThem() {
		try (Seq2SeqModel model = Seq2SeqModel.create(ModelSpec.defaults().withEmbeddingSize(8).withHiddenSize(16),
				Vocabulary.of(List.of("a", "b", "c")), ai.djl.Device.cpu(), 7)) {
			// An output bias that makes padding, then begin, the top choice at every
			// step.
			NDArray bias = ModelFixtures.outputBias(model);
			bias.set(new NDIndex(Vocabulary.PAD), 60f);
			bias.set(new NDIndex(Vocabulary.BEGIN), 50f);
			// Two inputs decode on the heap, 600 as batches through PyTorch.
			for (int count : new int[] { 2, 600 }) {
				List<long[]> sources = new ArrayList<>();
				for (int i = 0; i < count; i++) {
					sources.add(new long[] { 4 + i % 3, 4 + (i / 3) % 3 });
				}
				List<GreedyDecoder.Decoded> decoded = model.newDecoder().decodeIds(sources, 5);
				for (GreedyDecoder.Decoded output : decoded) {
					assertThat(output.ids()).as("%d inputs", count).doesNotContain(Vocabulary.PAD, Vocabulary.BEGIN);
					// Their probability still counts: what was chosen is far from
					// certain.
					assertThat(output.meanLogProbability()).isLessThan(-9);
				}
			}
		}
	}

	@Test
	void batchesLeaveNoArrayBehindOnTheModel() {
		try (Seq2SeqModel model = Seq2SeqModel.create(ModelSpec.defaults().withEmbeddingSize(8).withHiddenSize(16),
				Vocabulary.of(List.of("a", "b", "c")), ai.djl.Device.cpu(), 7)) {
			List<long[]> sources = new ArrayList<>();
			for (int i = 0; i < 600; i++) {
				sources.add(new long[] { 4 + i % 3, 4 + (i / 3) % 3, 4 + (i / 9) % 3 });
			}
			GreedyDecoder decoder = model.newDecoder();
			// The first decode folds the weights, which stay.
			decoder.decodeIds(sources, 6);
			int before = model.manager().getManagedArrays().size();
			decoder.decodeIds(sources, 6);
			decoder.decodeIds(sources, 6);
			assertThat(model.manager().getManagedArrays()).hasSize(before);
		}
	}

	@Test
	void aLargeVocabularyChoosesAsTheHeapDoes() {
		List<String> symbols = new ArrayList<>();
		for (int i = 0; i < GreedyDecoder.MOST_SYMBOLS_CHOSEN_ON_HOST + 100; i++) {
			symbols.add("w" + i);
		}
		try (Seq2SeqModel model = Seq2SeqModel.create(
				ModelSpec.defaults().withTokenization(Tokenization.WORD).withEmbeddingSize(8).withHiddenSize(16),
				Vocabulary.of(symbols), ai.djl.Device.cpu(), 3)) {
			int vocabulary = model.vocabulary().size();
			List<long[]> sources = new ArrayList<>();
			for (int i = 0; i < 600; i++) {
				sources.add(new long[] { Vocabulary.RESERVED + (i * 37) % (vocabulary - Vocabulary.RESERVED),
						Vocabulary.RESERVED + (i * 11) % (vocabulary - Vocabulary.RESERVED) });
			}
			GreedyDecoder decoder = model.newDecoder();
			List<GreedyDecoder.Decoded> batched = decoder.decodeIds(sources, 4);
			for (int i = 0; i < 12; i++) {
				// One input at a time decodes on the heap.
				GreedyDecoder.Decoded alone = decoder.decodeIds(List.of(sources.get(i)), 4).get(0);
				assertThat(batched.get(i).ids()).as("input %d", i).containsExactly(alone.ids());
				assertThat(batched.get(i).stopReason()).isEqualTo(alone.stopReason());
				assertThat(batched.get(i).meanLogProbability()).isCloseTo(alone.meanLogProbability(), offset(1e-4));
			}
		}
	}

	@Test
	void stopsAtTheLengthLimit() {
		Generation generation = reversal.newDecoder().decode(List.of("abc"), 2).get(0);
		assertThat(generation.text()).isEqualTo("cb");
		assertThat(generation.tokenCount()).isEqualTo(2);
		assertThat(generation.stopReason()).isEqualTo(StopReason.MAX_LENGTH);
	}

	@Test
	void aBatchOfMixedLengthsDecodesAsEachInputAlone() {
		List<String> inputs = new ArrayList<>(List.of("abc", "e", "dd", "abcde", "cab", "", "ezz", "bad", "ace"));
		for (int i = 0; i < 600; i++) {
			inputs.add("" + "abcde".charAt(i % 5) + "abcde".charAt((i / 5) % 5) + "abcde".charAt((i / 25) % 5));
		}
		GreedyDecoder decoder = reversal.newDecoder();
		List<Generation> batched = decoder.decode(inputs, 6);
		assertThat(batched).hasSize(inputs.size());
		for (int i = 0; i < inputs.size(); i++) {
			Generation alone = decoder.decode(List.of(inputs.get(i)), 6).get(0);
			Generation together = batched.get(i);
			assertThat(together.text()).as(inputs.get(i)).isEqualTo(alone.text());
			assertThat(together.tokenCount()).isEqualTo(alone.tokenCount());
			assertThat(together.stopReason()).isEqualTo(alone.stopReason());
			assertThat(together.unknownSymbols()).isEqualTo(alone.unknownSymbols());
			assertThat(together.meanLogProbability()).isCloseTo(alone.meanLogProbability(), offset(1e-4));
		}
	}

	@Test
	void unknownInputSymbolsBecomeTheUnknownTokenAndAreCounted() {
		Generation generation = reversal.newDecoder().decode(List.of("aXcYZ"), 5).get(0);
		assertThat(generation.unknownSymbols()).isEqualTo(3);
	}

	@Test
	void anEmptyInputDecodesFromTheZeroState() {
		Generation generation = reversal.newDecoder().decode(List.of(""), 4).get(0);
		assertThat(generation.unknownSymbols()).isZero();
		assertThat(generation.tokenCount()).isBetween(0, 4);
	}

	@Test
	void decodesNothingForNoInputs() {
		assertThat(reversal.newDecoder().decode(List.of(), 4)).isEmpty();
	}

	@Test
	void rejectsALengthLimitBelowOne() {
		assertThatExceptionOfType(InvalidFieldException.class)
			.isThrownBy(() -> reversal.newDecoder().decode(List.of("abc"), 0))
			.withMessage("maxLength must be at least 1 (was 0)");
	}

	@Test
	void severalThreadsCanDecodeWithOneModelAtOnce() throws Exception {
		List<String> inputs = List.of("abc", "bcd", "cde", "eda", "bee");
		List<Generation> expected = reversal.newDecoder().decode(inputs, 5);
		List<Thread> threads = new ArrayList<>();
		List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
		for (int t = 0; t < 4; t++) {
			threads.add(new Thread(() -> {
				GreedyDecoder decoder = reversal.newDecoder();
				for (int i = 0; i < 50; i++) {
					try {
						assertThat(decoder.decode(inputs, 5)).isEqualTo(expected);
					}
					catch (Throwable ex) {
						failures.add(ex);
						return;
					}
				}
			}));
		}
		threads.forEach(Thread::start);
		for (Thread thread : threads) {
			thread.join();
		}
		assertThat(failures).isEmpty();
	}

}
