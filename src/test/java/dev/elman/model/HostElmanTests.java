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
	@CsvSource({ "1, separate, 1", "2, tied, 1", "3, separate, 3" })
	void decodesAsTheBatchedDecoderDoes(int layers, String sharing, float scale) {
		ModelSpec spec = ModelSpec.defaults()
			.withEmbeddingSize(8)
			.withHiddenSize(24)
			.withLayers(layers)
			.withWeightSharing(WeightSharing.fromId(sharing));
		try (Seq2SeqModel model = Seq2SeqModel.create(spec, Vocabulary.of(List.of("a", "b", "c", "d", "e", "f")),
				Device.cpu(), 21)) {
			model.flatParameters().muli(scale);
			SplittableRandom random = new SplittableRandom(4);
			List<long[]> sources = new ArrayList<>();
			for (int i = 0; i < 300; i++) {
				sources
					.add(random.longs(random.nextInt(0, 12), Vocabulary.RESERVED, model.vocabulary().size()).toArray());
			}
			NDArray outputBias = model.network()
				.getParameters()
				.stream()
				.filter((parameter) -> parameter.getKey().contains("output") && parameter.getKey().endsWith("bias"))
				.findFirst()
				.orElseThrow()
				.getValue()
				.getArray();
			int[] stops = new int[2];
			// From an end symbol never chosen to one chosen at once: both ways of
			// stopping.
			for (float endBias : new float[] { -5, -0.5f, 0, 0.2f, 0.5f, 5 }) {
				outputBias.set(new NDIndex(Vocabulary.END), endBias);
				model.parametersChanged();
				HostElman host = ((SigmoidSpaceElman) model.decoderSteps()).host();
				assertThat(host).isNotNull();
				// More inputs than go to the heap: this batch is decoded through PyTorch.
				assertThat((long) sources.size() * 24 * 24).isGreaterThan(GreedyDecoder.MOST_HOST_MULTIPLY_ADDS);
				List<GreedyDecoder.Decoded> batched = model.newDecoder().decodeIds(sources, 9);
				for (int i = 0; i < sources.size(); i++) {
					GreedyDecoder.Decoded alone = host.decode(sources.get(i), 9);
					assertThat(alone.ids()).as("input %d", i).isEqualTo(batched.get(i).ids());
					assertThat(alone.stopReason()).isEqualTo(batched.get(i).stopReason());
					assertThat(alone.meanLogProbability()).isCloseTo(batched.get(i).meanLogProbability(), offset(1e-4));
					stops[(alone.stopReason() == StopReason.END) ? 0 : 1]++;
				}
			}
			assertThat(stops[0]).as("ended").isPositive();
			assertThat(stops[1]).as("reached the limit").isPositive();
		}
	}

}
