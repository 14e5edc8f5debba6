package dev.elman.training;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.RandomAccess;

/**
 * Sequences of ids packed end to end in one array, 2 bytes a symbol for vocabularies of
 * up to 65,536 symbols and 4 bytes beyond, with one offset per sequence. A million
 * sequences of 64 symbols take 128 MB this way, against 540 MB as a list of
 * {@code long[]} (8 bytes a symbol plus an array header each).
 *
 * <p>
 * Read as a list of {@code long[]}: {@link #get} copies a sequence out, which costs far
 * less than the step it is read for. Appended to by one thread, then read by any.
 */
final class PackedSequences extends AbstractList<long[]> implements RandomAccess {

	private static final int NARROW_LIMIT = 1 << 16;

	private static final int INITIAL_CAPACITY = 1024;

	private char[] narrow;

	private int[] wide;

	private int symbols;

	private int[] starts = new int[INITIAL_CAPACITY + 1];

	private int count;

	/**
	 * @param vocabularySize the number of distinct ids, which decides the width
	 */
	PackedSequences(int vocabularySize) {
		if (vocabularySize <= NARROW_LIMIT) {
			this.narrow = new char[INITIAL_CAPACITY];
		}
		else {
			this.wide = new int[INITIAL_CAPACITY];
		}
	}

	@Override
	public boolean add(long[] sequence) {
		int capacity = (this.narrow != null) ? this.narrow.length : this.wide.length;
		if ((long) this.symbols + sequence.length > capacity) {
			grow((long) this.symbols + sequence.length);
		}
		for (long id : sequence) {
			if (this.narrow != null) {
				this.narrow[this.symbols++] = (char) id;
			}
			else {
				this.wide[this.symbols++] = (int) id;
			}
		}
		if (this.count + 1 == this.starts.length - 1) {
			this.starts = Arrays.copyOf(this.starts, this.starts.length * 2);
		}
		this.starts[++this.count] = this.symbols;
		return true;
	}

	@Override
	public long[] get(int index) {
		int from = start(index);
		long[] sequence = new long[this.starts[index + 1] - from];
		for (int t = 0; t < sequence.length; t++) {
			sequence[t] = (this.narrow != null) ? this.narrow[from + t] : this.wide[from + t];
		}
		return sequence;
	}

	/**
	 * Returns the length of one sequence without copying it.
	 * @param index the sequence
	 * @return its symbols
	 */
	int length(int index) {
		return this.starts[index + 1] - start(index);
	}

	@Override
	public int size() {
		return this.count;
	}

	private int start(int index) {
		if (index < 0 || index >= this.count) {
			throw new IndexOutOfBoundsException(index);
		}
		return this.starts[index];
	}

	private void grow(long needed) {
		if (needed > Integer.MAX_VALUE - 8) {
			throw new IllegalArgumentException("The corpus has more than " + (Integer.MAX_VALUE - 8) + " symbols");
		}
		int capacity = (int) Math.min(Integer.MAX_VALUE - 8,
				Math.max(needed, 2L * ((this.narrow != null) ? this.narrow.length : this.wide.length)));
		if (this.narrow != null) {
			this.narrow = Arrays.copyOf(this.narrow, capacity);
		}
		else {
			this.wide = Arrays.copyOf(this.wide, capacity);
		}
	}

}
