package dev.elman.model;

import java.util.Arrays;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * A batch's sequences sorted longest first and packed step after step, with no padding:
 * at step {@code t} the first {@code reading(t)} rows read their {@code t}-th symbol.
 * Rows leave the batch as they finish, so an RNN run over these costs the arithmetic of
 * the symbols, not of the longest sequence times the rows. Built for encoder sources, and
 * for the decoder's inputs when training by hand.
 */
public final class PackedSources {

	private final int[] order;

	private final int[] reading;

	private final long[] packed;

	private PackedSources(int[] order, int[] reading, long[] packed) {
		this.order = order;
		this.reading = reading;
		this.packed = packed;
	}

	/**
	 * Packs the given rows of {@code sources}.
	 * @param sources encoder inputs as ids; each of the rows is read once
	 * @param rows the indices into {@code sources} that make up the batch
	 * @return the packed batch
	 */
	public static PackedSources of(List<long[]> sources, int[] rows) {
		RowsByLength sorted = RowsByLength.sort(sources, rows, true);
		int[] order = sorted.order();
		long[][] ordered = sorted.sequences();
		int longest = (ordered.length == 0) ? 0 : ordered[0].length;
		int[] reading = new int[longest];
		int total = 0;
		for (int t = 0, rowsLeft = ordered.length; t < longest; t++) {
			while (ordered[rowsLeft - 1].length <= t) {
				rowsLeft--;
			}
			reading[t] = rowsLeft;
			total += rowsLeft;
		}
		long[] packed = new long[total];
		for (int t = 0, at = 0; t < longest; t++) {
			for (int i = 0; i < reading[t]; i++) {
				packed[at++] = ordered[i][t];
			}
		}
		return new PackedSources(order, reading, packed);
	}

	/**
	 * Returns the batch's rows in packed order: longest source first.
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

	/**
	 * Returns the length of the longest source.
	 * @return its symbols, 0 when every source is empty
	 */
	public int longest() {
		return this.reading.length;
	}

	/** How many rows read a symbol at a step: a prefix of the batch. */
	int reading(int step) {
		return this.reading[step];
	}

	/** Every step's ids one after the other, each step's rows in order. */
	long[] packed() {
		return this.packed;
	}

	/**
	 * The packed ids as a {@code (vocabulary, symbols)} one-hot matrix: its product with
	 * a gradient per packed symbol sums that gradient per symbol of the vocabulary.
	 */
	NDArray oneHot(NDManager manager, int vocabulary) {
		return oneHot(this.packed, manager, vocabulary);
	}

	static NDArray oneHot(long[] ids, NDManager manager, int vocabulary) {
		float[] values = new float[vocabulary * ids.length];
		for (int i = 0; i < ids.length; i++) {
			values[(int) ids[i] * ids.length + i] = 1f;
		}
		return manager.create(values, new Shape(vocabulary, ids.length));
	}

	/**
	 * How many rows read a symbol at each step: the lengths of the steps in
	 * {@link #packed()}.
	 */
	long[] stepLengths() {
		return Arrays.stream(this.reading).asLongStream().toArray();
	}

}
