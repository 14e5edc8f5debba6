package dev.elman.training;

import java.util.Arrays;
import java.util.List;

import dev.elman.engine.ParallelWork;

/**
 * Cuts the training pairs into batches: each epoch shuffles them all with a generator
 * seeded by the epoch, so an interrupted run that resumes at epoch {@code e} sees the
 * same batches it would have seen. Batches mix source lengths; the encoder handles that
 * exactly (see {@link dev.elman.model.SourceBatch}).
 */
final class BatchPlan {

	private final int pairs;

	private final int batchSize;

	BatchPlan(int pairs, int batchSize) {
		this.pairs = pairs;
		this.batchSize = batchSize;
	}

	/** Batches for one epoch, shuffled with {@code seed}. */
	List<int[]> shuffled(int seed) {
		return cut(new NumpyShuffle(seed).permutation(this.pairs));
	}

	/** Batches in corpus order, for evaluation. */
	List<int[]> inOrder() {
		int[] all = new int[this.pairs];
		Arrays.setAll(all, (i) -> i);
		return cut(all);
	}

	/**
	 * Cuts into the fewest batches of at most {@code batchSize}, with sizes differing by
	 * at most one: 129 pairs make batches of 65 and 64, not 128 and a lone pair whose
	 * noisy gradient would get a full optimizer step.
	 */
	private List<int[]> cut(int[] members) {
		return ParallelWork.cut(members, (members.length + this.batchSize - 1) / this.batchSize);
	}

}
