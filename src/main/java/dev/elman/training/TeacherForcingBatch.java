package dev.elman.training;

import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.elman.model.SourceBatch;
import dev.elman.model.Vocabulary;

/**
 * The arrays of one teacher-forced step: the sources grouped by length, and the targets
 * with rows in the sources' order.
 */
record TeacherForcingBatch(SourceBatch sources, Targets targets) {

	static TeacherForcingBatch of(NDManager manager, List<long[]> sources, List<long[]> targets, int[] members) {
		SourceBatch grouped = SourceBatch.of(manager, sources, members);
		return new TeacherForcingBatch(grouped, Targets.of(manager, targets, grouped.order()));
	}

	/**
	 * Time-major {@code (T, B)} decoder inputs {@code <begin> y1 .. yn} and labels
	 * {@code y1 .. yn <end>}, padded with {@link Vocabulary#PAD}, and the mask that is 1
	 * on real labels.
	 *
	 * @param decoderInputs the decoder's inputs
	 * @param labels what it should predict
	 * @param mask 1 on real labels, 0 on padding
	 * @param tokens the number of real labels
	 */
	record Targets(NDArray decoderInputs, NDArray labels, NDArray mask, long tokens) {

		/**
		 * The targets of the given rows, in that order.
		 * @param manager where the arrays go
		 * @param targets target ids
		 * @param order the indices into {@code targets}, in the batch's row order
		 * @return the arrays
		 */
		static Targets of(NDManager manager, List<long[]> targets, int[] order) {
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
			Shape shape = new Shape(steps, rows);
			return new Targets(manager.create(inputs, shape), manager.create(labels, shape),
					manager.create(mask, shape), tokens);
		}

	}

}
