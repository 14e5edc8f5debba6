package dev.elman.training;

import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.elman.model.SourceBatch;
import dev.elman.model.Vocabulary;

/**
 * The arrays of one teacher-forced step: the sources grouped by length, and, time-major
 * with rows in the sources' order, decoder inputs {@code <begin> y1 .. yn} and labels
 * {@code y1 .. yn <end>} {@code (T, B)} padded with {@link Vocabulary#PAD}, and the mask
 * that is 1 on real labels.
 */
record TeacherForcingBatch(SourceBatch sources, NDArray decoderInputs, NDArray labels, NDArray mask, int pairs,
		long targetTokens) {

	static TeacherForcingBatch of(NDManager manager, List<long[]> sources, List<long[]> targets, int[] members) {
		SourceBatch grouped = SourceBatch.of(manager, sources, members);
		int[] order = grouped.order();
		int rows = order.length;
		long[][] ordered = new long[rows][];
		int steps = 0;
		for (int row = 0; row < rows; row++) {
			ordered[row] = targets.get(order[row]);
			steps = Math.max(steps, ordered[row].length + 1);
		}
		long[] inputs = new long[rows * steps];
		long[] labels = new long[rows * steps];
		float[] mask = new float[rows * steps];
		long tokens = 0;
		for (int row = 0; row < rows; row++) {
			long[] target = ordered[row];
			inputs[row] = Vocabulary.BEGIN;
			for (int t = 0; t < target.length; t++) {
				inputs[(t + 1) * rows + row] = target[t];
				labels[t * rows + row] = target[t];
				mask[t * rows + row] = 1f;
			}
			labels[target.length * rows + row] = Vocabulary.END;
			mask[target.length * rows + row] = 1f;
			tokens += target.length + 1;
		}
		return new TeacherForcingBatch(grouped, manager.create(inputs, new Shape(steps, rows)),
				manager.create(labels, new Shape(steps, rows)), manager.create(mask, new Shape(steps, rows)), rows,
				tokens);
	}

}
