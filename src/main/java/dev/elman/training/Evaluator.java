package dev.elman.training;

import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.elman.model.Autograd;
import dev.elman.model.GreedyDecoder;
import dev.elman.model.Seq2SeqModel;
import dev.elman.model.StopReason;

/**
 * Measures a model on held-out pairs: the teacher-forced loss, and greedy decoding's
 * exact matches and per-position accuracy.
 */
final class Evaluator {

	private final List<long[]> sources;

	private final List<long[]> targets;

	private final BatchPlan batches;

	private final int longestTarget;

	Evaluator(List<long[]> sources, List<long[]> targets, int batchSize) {
		this.sources = sources;
		this.targets = targets;
		this.batches = new BatchPlan(sources, targets, batchSize);
		int longest = 1;
		for (long[] target : targets) {
			longest = Math.max(longest, target.length);
		}
		this.longestTarget = longest;
	}

	Metrics evaluate(Seq2SeqModel model, ParameterStore parameters, GreedyDecoder decoder) {
		return new Metrics(loss(model, parameters), decodeAndScore(decoder));
	}

	/**
	 * The mean loss per target symbol. Where the hand-written training step applies to a
	 * batch, its forward pass measures it (code a fresh JVM has compiled for training
	 * already); elsewhere the network's blocks do.
	 */
	private double loss(Seq2SeqModel model, ParameterStore parameters) {
		double weighted = 0;
		long tokens = 0;
		try (Autograd noGradients = Autograd.disabled()) {
			for (int[] members : this.batches.inOrder()) {
				try (NDManager arrays = model.manager().newSubManager()) {
					long batchTokens = this.batches.targetTokens(members);
					double mean = HandWrittenStep.applies(model, this.batches, members, 0)
							? HandWrittenStep.Rows.of(this.sources, this.targets, members)
								.loss(model, parameters, 1f / batchTokens, arrays)
							: blockLoss(model, parameters, members, arrays);
					weighted += mean * batchTokens;
					tokens += batchTokens;
				}
			}
		}
		return weighted / tokens;
	}

	/** The mean loss per target symbol of a batch, through the network's blocks. */
	private float blockLoss(Seq2SeqModel model, ParameterStore parameters, int[] members, NDManager arrays) {
		TeacherForcingBatch batch = TeacherForcingBatch.of(arrays, this.sources, this.targets, members);
		TeacherForcingBatch.Targets targets = batch.targets();
		NDArray logits = model.network().teacherForced(parameters, batch.sources(), targets.decoderInputs(), 0, false);
		return SequenceLoss.maskedCrossEntropy(logits, targets.labels(), targets.mask(), targets.tokens()).getFloat();
	}

	/**
	 * Decodes at most one symbol more than the longest target: anything longer is wrong
	 * anyway.
	 */
	private double[] decodeAndScore(GreedyDecoder decoder) {
		List<GreedyDecoder.Decoded> decoded = decoder.decodeIds(this.sources, this.longestTarget);
		long exact = 0;
		long correct = 0;
		long positions = 0;
		for (int i = 0; i < decoded.size(); i++) {
			GreedyDecoder.Decoded output = decoded.get(i);
			long[] target = this.targets.get(i);
			int[] ids = output.ids();
			boolean ended = output.stopReason() == StopReason.END;
			for (int t = 0; t < target.length && t < ids.length; t++) {
				if (ids[t] == target[t]) {
					correct++;
				}
			}
			// The end symbol is the last label; it is right if decoding stopped exactly
			// there.
			if (ended && ids.length == target.length) {
				correct++;
			}
			positions += target.length + 1;
			if (ended && sameIds(ids, target)) {
				exact++;
			}
		}
		return new double[] { (double) exact / decoded.size(), (double) correct / positions };
	}

	private static boolean sameIds(int[] ids, long[] target) {
		if (ids.length != target.length) {
			return false;
		}
		for (int t = 0; t < ids.length; t++) {
			if (ids[t] != target[t]) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Held-out results.
	 *
	 * @param loss teacher-forced cross-entropy per target symbol
	 * @param exactMatch share of pairs decoded exactly
	 * @param tokenAccuracy share of target positions decoded right
	 */
	record Metrics(double loss, double exactMatch, double tokenAccuracy) {

		Metrics(double loss, double[] scores) {
			this(loss, scores[0], scores[1]);
		}

	}

}
