package dev.elman.training;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Groups pairs into batches whose sources all have the same length, so the encoder never
 * reads padding and its final state is exact for every row (the fused PyTorch RNN has no
 * per-row lengths). Targets of different lengths share a batch: the decoder's padding
 * comes after the real steps and is masked out of the loss.
 *
 * <p>
 * Each epoch shuffles the pairs within every length and then the order of all batches,
 * with a generator seeded by the epoch, so an interrupted run that resumes at epoch
 * {@code e} sees the same batches it would have seen.
 */
final class BatchPlan {

	private final List<int[]> buckets;

	private final int batchSize;

	BatchPlan(List<long[]> sources, int batchSize) {
		Map<Integer, List<Integer>> byLength = new TreeMap<>();
		for (int i = 0; i < sources.size(); i++) {
			byLength.computeIfAbsent(sources.get(i).length, (length) -> new ArrayList<>()).add(i);
		}
		this.buckets = new ArrayList<>();
		for (List<Integer> members : byLength.values()) {
			this.buckets.add(members.stream().mapToInt(Integer::intValue).toArray());
		}
		this.batchSize = batchSize;
	}

	/** Batches for one epoch, shuffled with {@code seed}. */
	List<int[]> shuffled(int seed) {
		NumpyShuffle random = new NumpyShuffle(seed);
		List<int[]> batches = new ArrayList<>();
		for (int[] bucket : this.buckets) {
			int[] members = bucket.clone();
			random.shuffle(members);
			cut(members, batches);
		}
		int[] order = random.permutation(batches.size());
		List<int[]> shuffled = new ArrayList<>(batches.size());
		for (int index : order) {
			shuffled.add(batches.get(index));
		}
		return shuffled;
	}

	/** Batches in corpus order, for evaluation. */
	List<int[]> inOrder() {
		List<int[]> batches = new ArrayList<>();
		for (int[] bucket : this.buckets) {
			cut(bucket, batches);
		}
		return batches;
	}

	int batchCount() {
		int count = 0;
		for (int[] bucket : this.buckets) {
			count += (bucket.length + this.batchSize - 1) / this.batchSize;
		}
		return count;
	}

	/**
	 * Cuts a length group into the fewest batches of at most {@code batchSize}, with
	 * sizes differing by at most one: 129 pairs make batches of 65 and 64, not 128 and a
	 * lone pair whose noisy gradient would get a full optimizer step.
	 */
	private void cut(int[] members, List<int[]> batches) {
		int count = (members.length + this.batchSize - 1) / this.batchSize;
		int from = 0;
		for (int i = 0; i < count; i++) {
			int size = members.length / count + ((i < members.length % count) ? 1 : 0);
			batches.add(Arrays.copyOfRange(members, from, from + size));
			from += size;
		}
	}

}
