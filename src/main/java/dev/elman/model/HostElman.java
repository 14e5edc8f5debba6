package dev.elman.model;

import java.util.Arrays;

/**
 * The sigmoid-space network (see {@link SigmoidSpaceElman}) with its weights on the JVM's
 * heap, decoding one input at a time without a single native call.
 *
 * <p>
 * For one input, each step of a call into PyTorch costs more in the crossing (a dozen
 * calls of a few microseconds each) than in the arithmetic: a 128-unit step is 16,384
 * multiply-adds, which the JIT compiles to vector instructions here, since the loops run
 * over the contiguous output index. So a lone request is decoded in about half the time.
 * The results are the same function's, computed in another order: equal to PyTorch's to
 * float rounding.
 *
 * <p>
 * Immutable; any number of threads may decode at once.
 */
final class HostElman {

	/** The most floats the heap copy may hold in all: 4 MB. */
	static final long MOST_FLOATS = 1L << 20;

	private static final int FIRST_GENERATED_ID = Vocabulary.END;

	private final Rnn encoder;

	private final Rnn decoder;

	/** {@code (2 W_o)^T}: one row of {@code V} per hidden unit. */
	private final float[][] outputWeight;

	private final float[] outputBias;

	private final int hidden;

	private final int vocabulary;

	HostElman(Rnn encoder, Rnn decoder, float[][] outputWeight, float[] outputBias) {
		this.encoder = encoder;
		this.decoder = decoder;
		this.outputWeight = outputWeight;
		this.outputBias = outputBias;
		this.vocabulary = outputBias.length;
		this.hidden = outputWeight.length;
	}

	/**
	 * Decodes one source greedily, deciding as {@link GreedyDecoder} does: the most
	 * probable symbol that may be generated at each step, until the end symbol or the
	 * length limit.
	 * @param source the encoder input ids
	 * @param maxLength the most symbols to generate
	 * @return the outcome
	 */
	GreedyDecoder.Decoded decode(long[] source, int maxLength) {
		float[][] state = new float[this.encoder.layers.length][this.hidden];
		for (float[] layer : state) {
			Arrays.fill(layer, 0.5f);
		}
		float[] scratch = new float[this.hidden];
		for (long id : source) {
			this.encoder.advance((int) id, state, scratch);
		}
		int[] generated = new int[Math.min(maxLength, 64)];
		int length = 0;
		double logProbability = 0;
		StopReason reason = StopReason.MAX_LENGTH;
		float[] logits = new float[this.vocabulary];
		int previous = Vocabulary.BEGIN;
		for (int step = 0; step <= maxLength; step++) {
			this.decoder.advance(previous, state, scratch);
			float[] top = state[state.length - 1];
			// The most probable symbol that may be generated (never padding or begin);
			// its log-probability over the whole vocabulary.
			int best = FIRST_GENERATED_ID;
			float bestLogit = Float.NEGATIVE_INFINITY;
			float largest = Float.NEGATIVE_INFINITY;
			System.arraycopy(this.outputBias, 0, logits, 0, this.vocabulary);
			accumulate(top, this.outputWeight, logits);
			for (int v = 0; v < this.vocabulary; v++) {
				float logit = logits[v];
				largest = Math.max(largest, logit);
				if (v >= FIRST_GENERATED_ID && logit > bestLogit) {
					best = v;
					bestLogit = logit;
				}
			}
			double sum = 0;
			for (float logit : logits) {
				sum += Math.exp(logit - largest);
			}
			double chosen = logits[best] - largest - Math.log(sum);
			if (best == Vocabulary.END) {
				logProbability += chosen;
				reason = StopReason.END;
				break;
			}
			if (step == maxLength) {
				break;
			}
			logProbability += chosen;
			if (length == generated.length) {
				generated = Arrays.copyOf(generated, generated.length * 2);
			}
			generated[length++] = best;
			previous = best;
		}
		int decisions = length + ((reason == StopReason.END) ? 1 : 0);
		return new GreedyDecoder.Decoded(Arrays.copyOf(generated, length), reason,
				(decisions > 0) ? logProbability / decisions : 0.0);
	}

	/**
	 * {@code z += v M}, a row of {@code M} at a time: the loop over one row and {@code z}
	 * at the same index is one the JIT turns into vector instructions (over a flat array
	 * at an offset it did not, and ran four times slower).
	 */
	static void accumulate(float[] vector, float[][] matrix, float[] z) {
		for (int i = 0; i < vector.length; i++) {
			axpy(vector[i], matrix[i], z);
		}
	}

	private static void axpy(float value, float[] row, float[] z) {
		for (int j = 0; j < z.length; j++) {
			z[j] += value * row[j];
		}
	}

	/**
	 * One RNN's folded weights: the first layer's input table, a row of {@code H} per
	 * symbol, and per layer the transposed products {@code (4 W_x)^T} (null in the first
	 * layer) and {@code (4 W_h)^T}, a row of {@code H} per input unit, and the constant.
	 */
	record Rnn(float[][] table, Layer[] layers) {

		/**
		 * One step of every layer, in place.
		 * @param id the input symbol
		 * @param state one sigmoid state per layer
		 * @param z scratch of the hidden size
		 */
		void advance(int id, float[][] state, float[] z) {
			int hidden = z.length;
			for (int l = 0; l < this.layers.length; l++) {
				Layer layer = this.layers[l];
				if (l == 0) {
					System.arraycopy(this.table[id], 0, z, 0, hidden);
				}
				else {
					System.arraycopy(layer.constant, 0, z, 0, hidden);
					accumulate(state[l - 1], layer.inputTransposed, z);
				}
				accumulate(state[l], layer.recurrentTransposed, z);
				float[] s = state[l];
				for (int j = 0; j < hidden; j++) {
					s[j] = (float) (1.0 / (1.0 + Math.exp(-z[j])));
				}
			}
		}

	}

	/** One layer's folded weights on the heap. */
	record Layer(float[][] inputTransposed, float[] constant, float[][] recurrentTransposed) {

	}

}
