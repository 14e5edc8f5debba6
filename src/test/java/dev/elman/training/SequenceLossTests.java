package dev.elman.training;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.elman.engine.ComputeEngine;
import dev.elman.model.Autograd;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

class SequenceLossTests {

	@BeforeAll
	static void loadEngine() {
		ComputeEngine.startOnCpu();
	}

	/**
	 * Two steps, two rows, three classes; row 1 ends after one step, so (t=1, row=1) is
	 * padding.
	 */
	private static final float[] LOGITS = { 1, 2, 3, /* t0 r0 */ 0, 0, 5, /* t0 r1 */ 2, 1, 0,
			/* t1 r0 */ 9, -4, 7 /* pad */ };

	private static final long[] LABELS = { 2, 0, 0, 0 };

	private static final float[] MASK = { 1, 1, 1, 0 };

	@Test
	void averagesTheNegativeLogLikelihoodOverRealLabelsOnly() {
		try (NDManager manager = NDManager.newBaseManager()) {
			float loss = SequenceLoss
				.maskedCrossEntropy(manager.create(LOGITS, new Shape(2, 2, 3)), manager.create(LABELS, new Shape(2, 2)),
						manager.create(MASK, new Shape(2, 2)), 3)
				.getFloat();
			double expected = -(logSoftmax(LOGITS, 0)[2] + logSoftmax(LOGITS, 3)[0] + logSoftmax(LOGITS, 6)[0]) / 3;
			assertThat((double) loss).isCloseTo(expected, offset(1e-5));
		}
	}

	@Test
	void paddedPositionsNeitherChangeTheLossNorGetAGradient() {
		try (NDManager manager = NDManager.newBaseManager()) {
			float[] otherPadding = LOGITS.clone();
			otherPadding[9] = -100;
			otherPadding[10] = 100;
			NDArray labels = manager.create(LABELS, new Shape(2, 2));
			NDArray mask = manager.create(MASK, new Shape(2, 2));
			NDArray logits = manager.create(LOGITS, new Shape(2, 2, 3));
			logits.setRequiresGradient(true);
			NDArray loss;
			try (Autograd recording = Autograd.recording()) {
				loss = SequenceLoss.maskedCrossEntropy(logits, labels, mask, 3);
				Autograd.backward(loss);
			}
			float other = SequenceLoss
				.maskedCrossEntropy(manager.create(otherPadding, new Shape(2, 2, 3)), labels, mask, 3)
				.getFloat();
			assertThat(other).isEqualTo(loss.getFloat());
			float[] gradient = logits.getGradient().toFloatArray();
			assertThat(new float[] { gradient[9], gradient[10], gradient[11] }).containsOnly(0f);
			assertThat(gradient[0]).isNotZero();
		}
	}

	private static double[] logSoftmax(float[] values, int from) {
		double max = Math.max(values[from], Math.max(values[from + 1], values[from + 2]));
		double sum = 0;
		for (int i = 0; i < 3; i++) {
			sum += Math.exp(values[from + i] - max);
		}
		double[] out = new double[3];
		for (int i = 0; i < 3; i++) {
			out[i] = values[from + i] - max - Math.log(sum);
		}
		return out;
	}

	@Test
	void largeVocabulariesGiveTheSameLossThroughTheOtherLayout() {
		try (NDManager manager = NDManager.newBaseManager()) {
			int classes = SequenceLoss.SMALL_VOCABULARY + 8;
			float[] logits = new float[2 * 2 * classes];
			for (int i = 0; i < logits.length; i++) {
				logits[i] = (float) Math.sin(i * 0.37) * 3;
			}
			float loss = SequenceLoss
				.maskedCrossEntropy(manager.create(logits, new Shape(2, 2, classes)),
						manager.create(new long[] { 5, 39, 0, 7 }, new Shape(2, 2)),
						manager.create(new float[] { 1, 1, 1, 0 }, new Shape(2, 2)), 3)
				.getFloat();
			double expected = -(logProbability(logits, 0, classes, 5) + logProbability(logits, 1, classes, 39)
					+ logProbability(logits, 2, classes, 0)) / 3;
			assertThat((double) loss).isCloseTo(expected, offset(1e-5));
		}
	}

	private static double logProbability(float[] logits, int row, int classes, int label) {
		double max = Double.NEGATIVE_INFINITY;
		for (int c = 0; c < classes; c++) {
			max = Math.max(max, logits[row * classes + c]);
		}
		double sum = 0;
		for (int c = 0; c < classes; c++) {
			sum += Math.exp(logits[row * classes + c] - max);
		}
		return logits[row * classes + label] - max - Math.log(sum);
	}

	@Test
	void theGradientStaysRightWhenGarbageIsCollectedBetweenForwardAndBackward() {
		float[] expected = null;
		for (boolean collect : new boolean[] { false, true }) {
			try (NDManager manager = NDManager.newBaseManager()) {
				NDArray logits = manager.create(LOGITS, new Shape(2, 2, 3));
				logits.setRequiresGradient(true);
				try (Autograd recording = Autograd.recording()) {
					NDArray loss = SequenceLoss.maskedCrossEntropy(logits, manager.create(LABELS, new Shape(2, 2)),
							manager.create(MASK, new Shape(2, 2)), 3);
					if (collect) {
						churnNativeMemory();
					}
					Autograd.backward(loss);
				}
				float[] gradient = logits.getGradient().toFloatArray();
				if (expected == null) {
					expected = gradient;
				}
				else {
					assertThat(gradient).containsExactly(expected);
				}
			}
		}
	}

	/**
	 * Frees what the garbage collector can and refills the freed native memory with NaN,
	 * so that a tensor still pointing into memory Java let go of reads NaN.
	 */
	private static void churnNativeMemory() {
		for (int round = 0; round < 5; round++) {
			System.gc();
			List<ByteBuffer> filler = new ArrayList<>();
			for (int i = 0; i < 2000; i++) {
				ByteBuffer buffer = ByteBuffer.allocateDirect(4 + (i % 4) * 4).order(ByteOrder.nativeOrder());
				while (buffer.remaining() >= 4) {
					buffer.putFloat(Float.NaN);
				}
				filler.add(buffer);
			}
		}
	}

}
