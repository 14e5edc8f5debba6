package dev.elman.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

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

	private final List<Integer> groupSizes;

	private final NDManager manager;

	/** The sources in {@link #order}, each read from the caller's list once. */
	private final long[][] ordered;

	/** Made when first asked for: a batch encoded in one padded call never needs them. */
	private List<NDArray> groups;

	private SourceBatch(int[] order, List<Integer> groupSizes, NDManager manager, long[][] ordered) {
		this.order = order;
		this.groupSizes = groupSizes;
		this.manager = manager;
		this.ordered = ordered;
	}

	/**
	 * Groups the given rows of {@code sources}.
	 * @param manager where the arrays go
	 * @param sources encoder inputs as ids; each of the rows is read once
	 * @param rows the indices into {@code sources} that make up the batch
	 * @return the grouped batch
	 */
	public static SourceBatch of(NDManager manager, List<long[]> sources, int[] rows) {
		RowsByLength sorted = RowsByLength.sort(sources, rows, false);
		int[] order = sorted.order();
		long[][] ordered = sorted.sequences();
		List<Integer> sizes = new ArrayList<>();
		int start = 0;
		while (start < order.length) {
			int length = ordered[start].length;
			int end = start;
			while (end < order.length && ordered[end].length == length) {
				end++;
			}
			sizes.add(end - start);
			start = end;
		}
		return new SourceBatch(order, sizes, manager, ordered);
	}

	/**
	 * Returns the length of the longest source.
	 * @return its symbols
	 */
	int longest() {
		return this.ordered[this.ordered.length - 1].length;
	}

	/**
	 * Returns every row in one time-major {@code (longest, rows)} array, in
	 * {@link #order()}, each source followed by padding up to the longest. The padding
	 * comes after a row's last symbol, so a recurrent state read at that symbol has seen
	 * none of it.
	 * @return the padded ids
	 */
	NDArray padded() {
		int rows = this.order.length;
		int longest = longest();
		long[] flat = new long[longest * rows];
		for (int i = 0; i < rows; i++) {
			long[] source = this.ordered[i];
			for (int t = 0; t < source.length; t++) {
				flat[t * rows + i] = source[t];
			}
		}
		return this.manager.create(flat, new Shape(longest, rows));
	}

	/**
	 * Returns, for each row in {@link #order()}, where its last step is in the padded
	 * outputs flattened to {@code (longest * rows, hidden)}:
	 * {@code (length - 1) * rows + row}.
	 * @return the indices
	 */
	NDArray lastSteps() {
		int rows = this.order.length;
		long[] indices = new long[rows];
		for (int i = 0; i < rows; i++) {
			indices[i] = (long) (this.ordered[i].length - 1) * rows + i;
		}
		return this.manager.create(indices);
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
		if (this.groups == null) {
			List<NDArray> groups = new ArrayList<>(this.groupSizes.size());
			int start = 0;
			for (int size : this.groupSizes) {
				int length = this.ordered[start].length;
				long[] flat = new long[size * length];
				for (int i = 0; i < size; i++) {
					long[] source = this.ordered[start + i];
					for (int t = 0; t < length; t++) {
						flat[t * size + i] = source[t];
					}
				}
				groups.add((length == 0) ? null : this.manager.create(flat, new Shape(length, size)));
				start += size;
			}
			this.groups = groups;
		}
		return Collections.unmodifiableList(this.groups);
	}

	/** The number of distinct source lengths, one group each. */
	int lengths() {
		return this.groupSizes.size();
	}

	/** Whether a source has no symbols (then it comes first, in order). */
	boolean hasEmptySource() {
		return this.ordered[0].length == 0;
	}

	List<Integer> groupSizes() {
		return Collections.unmodifiableList(this.groupSizes);
	}

	/** Where the batch's arrays live, and where a state for empty sources is made. */
	NDManager manager() {
		return this.manager;
	}

}
