package dev.elman.model;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import dev.elman.engine.ComputeEngine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

/**
 * Decoding on the heap decides what decoding through PyTorch decides, input by input.
 */
class HostElmanTests {

	@BeforeAll
	static void loadEngine() {
		ComputeEngine.startOnCpu();
	}

	@ParameterizedTest
	@CsvSource({ "1, separate, 1, 6", "2, tied, 1, 40", "3, separate, 3, 6" })
	void decodesAsTheBatchedDecoderDoes(int layers, String sharing, float scale, int symbols) {
		ModelSpec spec = ModelSpec.defaults()
			.withEmbeddingSize(8)
			.withHiddenSize(24)
			.withLayers(layers)
			.withWeightSharing(WeightSharing.fromId(sharing));
		List<String> alphabet = new ArrayList<>();
		for (int i = 0; i < symbols; i++) {
			alphabet.add(String.valueOf((char) ('a' + i)));
		}
		// 40 symbols and more take PyTorch's other log-softmax (along the last axis).
		try (Seq2SeqModel model = Seq2SeqModel.create(spec, Vocabulary.of(alphabet), Device.cpu(), 21)) {
			model.flatParameters().muli(scale);
			SplittableRandom random = new SplittableRandom(4);
			List<long[]> sources = new ArrayList<>();
			for (int i = 0; i < 300; i++) {
				sources
					.add(random.longs(random.nextInt(0, 12), Vocabulary.RESERVED, model.vocabulary().size()).toArray());
			}
			NDArray outputBias = ModelFixtures.outputBias(model);
			int[] stops = new int[2];
			// From an end symbol never chosen to one chosen at once: both ways of
			// stopping.
			for (float endBias : new float[] { -5, -0.5f, 0, 0.2f, 0.5f, 5 }) {
				outputBias.set(new NDIndex(Vocabulary.END), endBias);
				model.parametersChanged();
				HostElman host = model.hostElman();
				assertThat(host).isNotNull();
				long perStep = layers * 2L * 24 * 24 + 24L * model.vocabulary().size();
				// More inputs than go to the heap: this batch is decoded through PyTorch.
				assertThat(sources.size() * perStep).isGreaterThan(GreedyDecoder.MOST_HOST_MULTIPLY_ADDS);
				for (int maxLength : new int[] { 1, 9 }) {
					List<GreedyDecoder.Decoded> batched = model.newDecoder().decodeIds(sources, maxLength);
					for (int i = 0; i < sources.size(); i++) {
						GreedyDecoder.Decoded alone = host.decode(sources.get(i), maxLength);
						assertThat(alone.ids()).as("input %d", i).isEqualTo(batched.get(i).ids());
						assertThat(alone.stopReason()).isEqualTo(batched.get(i).stopReason());
						assertThat(alone.meanLogProbability()).isCloseTo(batched.get(i).meanLogProbability(),
								offset(1e-4));
						stops[(alone.stopReason() == StopReason.END) ? 0 : 1]++;
					}
				}
				// A few inputs take the heap through the decoder itself.
				List<long[]> few = sources.subList(0, 3);
				assertThat(3 * perStep).isLessThanOrEqualTo(GreedyDecoder.MOST_HOST_MULTIPLY_ADDS);
				List<GreedyDecoder.Decoded> viaDecoder = model.newDecoder().decodeIds(few, 9);
				for (int i = 0; i < few.size(); i++) {
					GreedyDecoder.Decoded expected = host.decode(few.get(i), 9);
					assertThat(viaDecoder.get(i).ids()).isEqualTo(expected.ids());
					assertThat(viaDecoder.get(i).stopReason()).isEqualTo(expected.stopReason());
					assertThat(viaDecoder.get(i).meanLogProbability()).isEqualTo(expected.meanLogProbability());
				}
			}
			assertThat(stops[0]).as("ended").isPositive();
			assertThat(stops[1]).as("reached the limit").isPositive();
		}
	}

}
