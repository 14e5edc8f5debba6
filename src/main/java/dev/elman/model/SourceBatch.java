package dev.elman.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Encoder inputs of one batch, grouped by length.
 *
 * <p>
 * PyTorch's fused RNN has no per-row lengths: a padded row would carry the padding into
 * its final state. So the rows are sorted by length and each length becomes one
 * time-major {@code (length, rows)} array; the encoder runs once per group and stacks the
 * final states in {@link #order()}. Batches can then mix lengths freely and every state
 * is still exact.
 */
public final class SourceBatch {

	private final int[] order;

	private final List<NDArray> groups;

	private final List<Integer> groupSizes;

	private final NDManager manager;

	private SourceBatch(int[] order, List<NDArray> groups, List<Integer> groupSizes, NDManager manager) {
		this.order = order;
		this.groups = groups;
		this.groupSizes = groupSizes;
		this.manager = manager;
	}

	/**
	 * Groups the given rows of {@code sources}.
	 * @param manager where the arrays go
	 * @param sources encoder inputs as ids
	 * @param rows the indices into {@code sources} that make up the batch
	 * @return the grouped batch
	 */
	public static SourceBatch of(NDManager manager, List<long[]> sources, int[] rows) {
		int[] order = IntStream.of(rows)
			.boxed()
			.sorted(Comparator.comparingInt((Integer row) -> sources.get(row).length))
			.mapToInt(Integer::intValue)
			.toArray();
		List<NDArray> groups = new ArrayList<>();
		List<Integer> sizes = new ArrayList<>();
		int start = 0;
		while (start < order.length) {
			int length = sources.get(order[start]).length;
			int end = start;
			while (end < order.length && sources.get(order[end]).length == length) {
				end++;
			}
			int size = end - start;
			long[] flat = new long[size * length];
			for (int i = 0; i < size; i++) {
				long[] source = sources.get(order[start + i]);
				for (int t = 0; t < length; t++) {
					flat[t * size + i] = source[t];
				}
			}
			groups.add((length == 0) ? null : manager.create(flat, new Shape(length, size)));
			sizes.add(size);
			start = end;
		}
		return new SourceBatch(order, groups, sizes, manager);
	}

	/**
	 * Returns the batch's rows in the order the encoder states come out: by source
	 * length.
	 * @return indices into the sources given to {@link #of}
	 */
	public int[] order() {
		return this.order.clone();
	}

	/**
	 * Returns the number of rows.
	 * @return the batch size
	 */
	public int size() {
		return this.order.length;
	}

	/** Time-major id arrays, one per length; null for a group of empty sources. */
	List<NDArray> groups() {
		return Collections.unmodifiableList(this.groups);
	}

	List<Integer> groupSizes() {
		return Collections.unmodifiableList(this.groupSizes);
	}

	/** Where the batch's arrays live, and where a state for empty sources is made. */
	NDManager manager() {
		return this.manager;
	}

}
