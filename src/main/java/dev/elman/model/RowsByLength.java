package dev.elman.model;

import java.util.Arrays;
import java.util.List;

/**
 * A batch's rows sorted by their sequence's length, ties in the caller's order: one
 * primitive sort of (length, position) keys, with no boxed comparator for the JIT to
 * profile and recompile (a boxed TimSort was recompiled about ten times in a run).
 *
 * @param order the indices into the sequences, sorted
 * @param sequences the sequences in that order, each read from the caller's list once;
 * not to be changed
 */
record RowsByLength(int[] order, long[][] sequences) {

	static RowsByLength sort(List<long[]> sequences, int[] rows, boolean longestFirst) {
		long[][] read = new long[rows.length][];
		long[] keys = new long[rows.length];
		for (int i = 0; i < rows.length; i++) {
			read[i] = sequences.get(rows[i]);
			int length = longestFirst ? Integer.MAX_VALUE - read[i].length : read[i].length;
			keys[i] = ((long) length << 32) | i;
		}
		Arrays.sort(keys);
		int[] order = new int[rows.length];
		long[][] ordered = new long[rows.length][];
		for (int i = 0; i < keys.length; i++) {
			int position = (int) keys[i];
			order[i] = rows[position];
			ordered[i] = read[position];
		}
		return new RowsByLength(order, ordered);
	}

}
