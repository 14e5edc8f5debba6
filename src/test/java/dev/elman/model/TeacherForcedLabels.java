package dev.elman.model;

import java.util.List;
import java.util.function.UnaryOperator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Decoder inputs for rows in a given order, and the masked cross-entropy of their labels
 * normalised by the label count: the autograd side that the hand-written training step is
 * compared with, in tests and in {@code TrainingStepBenchmark}.
 *
 * @param inputs the decoder inputs {@code (T, B)}
 * @param loss the loss of the logits {@code (T, B, V)}
 */
public record TeacherForcedLabels(NDArray inputs, UnaryOperator<NDArray> loss) {

	/**
	 * Builds the arrays of the given rows.
	 * @param manager where they go
	 * @param targets target ids, without the end symbol
	 * @param order the indices into {@code targets}, in the batch's row order
	 * @return the inputs and the loss
	 */
	public static TeacherForcedLabels of(NDManager manager, List<long[]> targets, int[] order) {
		int rows = order.length;
		int steps = 0;
		for (int row : order) {
			steps = Math.max(steps, targets.get(row).length + 1);
		}
		long[] inputs = new long[rows * steps];
		long[] labels = new long[rows * steps];
		float[] mask = new float[rows * steps];
		long tokens = 0;
		for (int row = 0; row < rows; row++) {
			long[] target = targets.get(order[row]);
			inputs[row] = Vocabulary.BEGIN;
			for (int t = 0; t < target.length; t++) {
				inputs[(t + 1) * rows + row] = target[t];
				labels[t * rows + row] = target[t];
				mask[t * rows + row] = 1;
			}
			labels[target.length * rows + row] = Vocabulary.END;
			mask[target.length * rows + row] = 1;
			tokens += target.length + 1;
		}
		Shape shape = new Shape(steps, rows);
		NDArray labelArray = manager.create(labels, shape);
		NDArray maskArray = manager.create(mask, shape);
		NDArray scale = manager.full(new Shape(), -1f / tokens, DataType.FLOAT32);
		// Along a middle axis: PyTorch's CPU log-softmax along a short last axis is slow.
		return new TeacherForcedLabels(manager.create(inputs, shape),
				(logits) -> logits.transpose(0, 2, 1)
					.logSoftmax(1)
					.gather(labelArray.expandDims(1), 1)
					.squeeze(1)
					.mul(maskArray)
					.sum()
					.mul(scale));
	}

}
