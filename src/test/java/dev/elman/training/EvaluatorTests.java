package dev.elman.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.elman.engine.ComputeEngine;
import dev.elman.model.Autograd;
import dev.elman.model.ModelSpec;
import dev.elman.model.Seq2SeqModel;
import dev.elman.model.Vocabulary;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

class EvaluatorTests {

	private static final List<String> SYMBOLS = List.of("a", "b", "c", "d", "e", "f", "g");

	@BeforeAll
	static void loadEngine() {
		ComputeEngine.startOnCpu();
	}

	/**
	 * Held-out pairs of a one-layer tanh model are measured by the hand-written step's
	 * forward pass (exactly its figure, so the evaluator does take that path), and that
	 * is the loss the network's blocks give, over batches of mixed lengths, empty sources
	 * included.
	 */
	@Test
	void theHeldOutLossByHandIsTheLossTheNetworksBlocksGive() {
		Random random = new Random(11);
		List<long[]> sources = new ArrayList<>();
		List<long[]> targets = new ArrayList<>();
		for (int i = 0; i < 300; i++) {
			sources.add(randomIds(random, random.nextInt(9)));
			targets.add(randomIds(random, 1 + random.nextInt(6)));
		}
		ModelSpec spec = ModelSpec.defaults().withEmbeddingSize(8).withHiddenSize(24);
		try (Seq2SeqModel model = Seq2SeqModel.create(spec, Vocabulary.of(SYMBOLS), Device.cpu(), 5)) {
			ParameterStore store = model.newParameterStore();
			BatchPlan plan = new BatchPlan(sources, targets, 128);
			assertThat(plan.inOrder()).as("three batches, each taken by hand")
				.hasSize(3)
				.allMatch((members) -> HandWrittenStep.applies(model, plan, members, 0));

			double evaluated = new Evaluator(sources, targets, 128).evaluate(model, store, model.newDecoder()).loss();

			assertThat(evaluated).isEqualTo(handLoss(model, store, plan, sources, targets));
			assertThat(evaluated).isCloseTo(blocksLoss(model, store, plan, sources, targets), offset(1e-5));
		}
	}

	/** The mean loss per target symbol through the hand-written step's forward pass. */
	private static double handLoss(Seq2SeqModel model, ParameterStore store, BatchPlan plan, List<long[]> sources,
			List<long[]> targets) {
		double weighted = 0;
		long tokens = 0;
		for (int[] members : plan.inOrder()) {
			try (NDManager arrays = model.manager().newSubManager()) {
				long batchTokens = plan.targetTokens(members);
				weighted += (double) HandWrittenStep.Rows.of(sources, targets, members)
					.loss(model, store, 1f / batchTokens, arrays) * batchTokens;
				tokens += batchTokens;
			}
		}
		return weighted / tokens;
	}

	/**
	 * The mean loss per target symbol through the network's blocks and autograd's ops.
	 */
	private static double blocksLoss(Seq2SeqModel model, ParameterStore store, BatchPlan plan, List<long[]> sources,
			List<long[]> targets) {
		double weighted = 0;
		long tokens = 0;
		try (Autograd off = Autograd.disabled()) {
			for (int[] members : plan.inOrder()) {
				try (NDManager arrays = model.manager().newSubManager()) {
					TeacherForcingBatch batch = TeacherForcingBatch.of(arrays, sources, targets, members);
					TeacherForcingBatch.Targets labelled = batch.targets();
					NDArray logits = model.network()
						.teacherForced(store, batch.sources(), labelled.decoderInputs(), 0, false);
					weighted += SequenceLoss
						.maskedCrossEntropy(logits, labelled.labels(), labelled.mask(), labelled.tokens())
						.getFloat() * labelled.tokens();
					tokens += labelled.tokens();
				}
			}
		}
		return weighted / tokens;
	}

	private static long[] randomIds(Random random, int length) {
		return IntStream.range(0, length)
			.mapToLong((i) -> Vocabulary.RESERVED + random.nextInt(SYMBOLS.size()))
			.toArray();
	}

}
