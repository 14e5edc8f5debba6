package dev.elman.model;

import java.util.Arrays;
import java.util.function.UnaryOperator;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Block;
import ai.djl.nn.core.Embedding;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;

/**
 * One teacher-forced training step of a one-layer {@code rnn-tanh} network with its two
 * recurrences run in sigmoid space and differentiated by hand: the same loss and
 * gradients as autograd through PyTorch's fused RNN, with less work.
 *
 * <p>
 * Why by hand: the fused RNN's backward is a graph of several nodes per time step, and
 * each step's {@code W_h} gradient is its own small matrix product added to the last.
 * Here the recurrence costs one product and one sigmoid per step forward and one product
 * and one multiplication per step backward, and each {@code W_h} gradient is one product
 * over every step at once. The sigmoid replaces the tanh ({@code tanh(z) = 2 sigmoid(2z)
 * - 1}, see {@link SigmoidSpaceElman}): PyTorch's CPU tanh costs several times its
 * sigmoid. The encoder runs over {@link PackedSources}: no padded step at all.
 *
 * <p>
 * The state is carried as {@code s = (h + 1) / 2}: {@code s_t = sigmoid(a_t)} with
 * {@code a_t = Q_t + s_{t-1} (4 W_h)^T} and
 * {@code Q_t = 2 (E[x_t] W_x^T + b_x + b_h - W_h
 * 1)}; the zero state is {@code s = 1/2}. Autograd still does the parts around the
 * recurrences, where it costs little: {@code Q} from the embedding and the parameters
 * (given {@code dL/dQ}), the output layer {@code s (2 W_o)^T + b_o - W_o 1} and the loss,
 * and the factor 4 of {@code dL/dW_h}. By hand:
 * {@code dL/da_t = dL/ds_t * s_t (1 - s_t)}; {@code dL/ds_{t-1} += dL/da_t (4 W_h)};
 * {@code dL/dQ_t = dL/da_t}; and the gradient of {@code 4 W_h}, {@code sum_t (dL/da_t)^T
 * s_{t-1}}, one product over every step.
 *
 * <p>
 * Constants enter recorded products as arrays on the batch's manager, never as
 * {@code mul(Number)}: DJL frees such a scalar at once, while autograd keeps it for the
 * backward pass, which then reads freed memory.
 *
 * <p>
 * Safe to run on several threads at once over one network's parameters: every gradient
 * reaches the parameters through autograd, which adds under a lock per parameter.
 */
public final class SigmoidSpaceTraining {

	private SigmoidSpaceTraining() {
	}

	/**
	 * Whether a step of this network can be computed this way: on the CPU (on a GPU the
	 * fused RNN has not been measured against it), the tanh cell, one layer, and a
	 * truncation window that cuts neither the sources nor the targets.
	 * @param spec the network's spec
	 * @param device where it trains
	 * @param window the truncation window in steps, 0 for none
	 * @param longestSource the batch's longest source
	 * @param decoderSteps the batch's decoder steps (longest target plus one)
	 * @return whether {@link #lossAndGradients} applies
	 */
	public static boolean supports(ModelSpec spec, Device device, int window, int longestSource, int decoderSteps) {
		return !device.isGpu() && spec.cell() == Cell.RNN_TANH && spec.layers() == 1
				&& (window <= 0 || (window >= longestSource && window >= decoderSteps));
	}

	/**
	 * Computes the loss of a batch and adds its gradients to the parameters'.
	 * @param network an {@code rnn-tanh} network of one layer
	 * @param parameterStore the parameters
	 * @param sources the sources
	 * @param decoderInputs the begin id followed by the target ids {@code (T, B)}, rows
	 * in {@link PackedSources#order()}; its manager takes every array made here
	 * @param loss the loss of the logits {@code (T, B, V)}, a scalar
	 * @return the loss
	 */
	public static float lossAndGradients(Seq2SeqNetwork network, ParameterStore parameterStore, PackedSources sources,
			NDArray decoderInputs, UnaryOperator<NDArray> loss) {
		NDManager manager = decoderInputs.getManager();
		int steps = (int) decoderInputs.getShape().get(0);
		long rows = decoderInputs.getShape().get(1);
		long hidden = network.spec().hiddenSize();
		Weights encoder;
		Weights decoder;
		NDArray encoderTerms;
		NDArray decoderTerms;
		NDArray outputWeight;
		NDArray outputBias;
		NDArray two = manager.full(new Shape(), 2f, DataType.FLOAT32);
		try (Autograd recording = Autograd.recording()) {
			encoder = Weights.of(network.sourceEmbedding(), network.encoderBlock(), parameterStore, two);
			decoder = network.spec().tied() ? encoder
					: Weights.of(network.targetEmbedding(), network.decoderBlock(), parameterStore, two);
			encoderTerms = (sources.longest() == 0) ? null : encoder.terms(manager.create(sources.packed()));
			decoderTerms = decoder.terms(decoderInputs.reshape(-1));
			NDArray weight = value(network.outputBlock(), "weight", parameterStore, manager);
			outputWeight = owned(weight.mul(two), manager);
			outputBias = owned(value(network.outputBlock(), "bias", parameterStore, manager)
				.sub(owned(weight.sum(new int[] { 1 }), manager)), manager);
		}

		EncoderPass encoded;
		NDList decoderStates = new NDList(steps);
		NDArray decoderStateRows;
		try (Autograd off = Autograd.disabled()) {
			encoded = EncoderPass.run(encoder, sources, encoderTerms, manager, hidden);
			NDList terms = decoderTerms.split(steps, 0);
			NDArray state = encoded.finalStates;
			for (int t = 0; t < steps; t++) {
				state = decoder.advance(state, terms.get(t));
				decoderStates.add(state);
			}
			decoderStateRows = NDArrays.concat(decoderStates, 0);
		}
		// The loss's gradient with respect to every decoder state, from autograd.
		decoderStateRows.setRequiresGradient(true);
		float value;
		try (Autograd recording = Autograd.recording()) {
			NDArray outputs = decoderStateRows.reshape(steps, rows, hidden);
			NDArray logits = outputs.getNDArrayInternal().linear(outputs, outputWeight, outputBias).head();
			NDArray scalar = loss.apply(logits);
			Autograd.backward(scalar);
			value = scalar.getFloat();
		}

		NDArray decoderTermGradient;
		NDArray decoderWeightGradient;
		NDArray encoderWeightGradient;
		try (Autograd off = Autograd.disabled()) {
			NDList external = decoderStateRows.getGradient().split(steps, 0);
			NDList slopes = sigmoidSlopes(decoderStateRows).split(steps, 0);
			NDList gradients = new NDList(steps);
			NDArray gradient = null;
			for (int t = steps - 1; t >= 0; t--) {
				NDArray outer = (gradient == null) ? external.get(t)
						: gradient.getNDArrayInternal().linear(gradient, decoder.carry, external.get(t)).head();
				gradient = outer.mul(slopes.get(t));
				gradients.add(0, gradient);
			}
			decoderTermGradient = NDArrays.concat(gradients, 0);
			NDList previous = new NDList(steps);
			previous.add(encoded.finalStates);
			previous.addAll(decoderStates.subNDList(0, steps - 1));
			decoderWeightGradient = decoderTermGradient.transpose().matMul(NDArrays.concat(previous, 0));
			encoderWeightGradient = encoded.backward(encoder, gradient.matMul(decoder.quadrupled));
		}

		try (Autograd recording = Autograd.recording()) {
			// Tied, both terms share the weights' recorded nodes: keep them for the
			// second.
			backward(decoderTerms, decoderTermGradient, encoderTerms != null && decoder == encoder);
			if (encoderTerms != null) {
				backward(encoderTerms, encoded.termGradient, false);
			}
			if (decoder == encoder) {
				decoder.addWeightGradient((encoderWeightGradient == null) ? decoderWeightGradient
						: decoderWeightGradient.add(encoderWeightGradient));
			}
			else {
				decoder.addWeightGradient(decoderWeightGradient);
				if (encoderWeightGradient != null) {
					encoder.addWeightGradient(encoderWeightGradient);
				}
			}
		}
		return value;
	}

	/** {@code s (1 - s)}, the sigmoid's slope at states {@code s}. */
	private static NDArray sigmoidSlopes(NDArray states) {
		return states.sub(states.square());
	}

	private static void backward(NDArray root, NDArray gradient, boolean keepGraph) {
		JniUtils.backward((PtNDArray) root, (PtNDArray) gradient, keepGraph, false);
	}

	private static NDArray value(Block block, String name, ParameterStore parameterStore, NDManager manager) {
		return parameterStore.getValue(block.getDirectParameters().get(name), manager.getDevice(), true);
	}

	private static NDArray owned(NDArray array, NDManager manager) {
		array.attach(manager);
		return array;
	}

	/**
	 * One RNN's parameters as this step reads them, and what is derived from them, on the
	 * batch's manager (an operation on a parameter leaves its result on the parameter's
	 * long-lived manager). Made while recording.
	 *
	 * @param embedding {@code E}
	 * @param input {@code 2 W_x}, recorded
	 * @param constant {@code 2 (b_x + b_h - W_h 1)}, recorded
	 * @param recurrent {@code W_h}
	 * @param four the constant 4, on the batch's manager
	 * @param quadrupled {@code 4 W_h}, not recorded
	 * @param carry {@code (4 W_h)^T}, a view
	 * @param manager the batch's manager
	 */
	private record Weights(NDArray embedding, NDArray input, NDArray constant, NDArray recurrent, NDArray four,
			NDArray quadrupled, NDArray carry, NDManager manager) {

		static Weights of(Block embedding, Block rnn, ParameterStore parameterStore, NDArray two) {
			NDManager manager = two.getManager();
			NDArray recurrent = value(rnn, "l_0_h2h_WEIGHT", parameterStore, manager);
			NDArray bias = owned(value(rnn, "l_0_i2h_BIAS", parameterStore, manager)
				.add(value(rnn, "l_0_h2h_BIAS", parameterStore, manager)), manager);
			NDArray constant = bias.sub(owned(recurrent.sum(new int[] { 1 }), manager)).mul(two);
			NDArray input = owned(value(rnn, "l_0_i2h_WEIGHT", parameterStore, manager).mul(two), manager);
			NDArray four = two.add(two);
			NDArray quadrupled;
			try (Autograd off = Autograd.disabled()) {
				quadrupled = owned(recurrent.mul(four), manager);
			}
			return new Weights(value(embedding, "weight", parameterStore, manager), input, constant, recurrent, four,
					quadrupled, quadrupled.transpose(), manager);
		}

		/** {@code Q} of the given ids, recorded: {@code (N, H)}. */
		NDArray terms(NDArray ids) {
			NDArray embedded = Embedding.embedding(ids, this.embedding, SparseFormat.DENSE).head();
			return embedded.getNDArrayInternal().linear(embedded, this.input, this.constant).head();
		}

		/** {@code s_t = sigmoid(Q_t + s_{t-1} (4 W_h)^T)}. */
		NDArray advance(NDArray state, NDArray term) {
			return state.getNDArrayInternal()
				.linear(state, this.quadrupled, term)
				.head()
				.getNDArrayInternal()
				.sigmoid();
		}

		/**
		 * Adds {@code dL/dW_h} to the parameter's gradient, given that of {@code 4 W_h}.
		 */
		void addWeightGradient(NDArray gradient) {
			backward(owned(this.recurrent.mul(this.four), this.manager).reshape(-1), gradient.reshape(-1), false);
		}

	}

	/** The encoder's forward pass over packed sources, kept for its backward pass. */
	private static final class EncoderPass {

		private final PackedSources sources;

		/** Each step's states, {@code (reading(t), H)}. */
		private final NDList states;

		/**
		 * The final state of every row, in packed order; zero state for empty sources.
		 */
		private final NDArray finalStates;

		/** {@code dL/dQ} of every packed symbol, once {@link #backward} ran. */
		private NDArray termGradient;

		private EncoderPass(PackedSources sources, NDList states, NDArray finalStates) {
			this.sources = sources;
			this.states = states;
			this.finalStates = finalStates;
		}

		static EncoderPass run(Weights weights, PackedSources sources, NDArray terms, NDManager manager, long hidden) {
			int longest = sources.longest();
			if (longest == 0) {
				return new EncoderPass(sources, new NDList(), half(manager, sources.size(), hidden));
			}
			NDList stepTerms = terms.split(sources.stepStarts(), 0);
			NDList states = new NDList(longest);
			NDArray state = weights.advance(half(manager, sources.reading(0), hidden), stepTerms.get(0));
			states.add(state);
			for (int t = 1; t < longest; t++) {
				state = weights.advance(readers(state, sources.reading(t)), stepTerms.get(t));
				states.add(state);
			}
			return new EncoderPass(sources, states, finalStates(sources, states, manager, hidden));
		}

		/** The zero state, {@code s = 1/2}. */
		private static NDArray half(NDManager manager, int rows, long hidden) {
			return manager.full(new Shape(rows, hidden), 0.5f, DataType.FLOAT32);
		}

		/** The first {@code reading} rows of a state. */
		private static NDArray readers(NDArray state, int reading) {
			return (state.getShape().get(0) == reading) ? state : state.split(new long[] { reading }, 0).get(0);
		}

		/** Longest rows first, then the rows that finished at each earlier step. */
		private static NDArray finalStates(PackedSources sources, NDList states, NDManager manager, long hidden) {
			int longest = sources.longest();
			NDList pieces = new NDList();
			pieces.add(states.get(longest - 1));
			for (int t = longest - 2; t >= 0; t--) {
				if (sources.reading(t) > sources.reading(t + 1)) {
					pieces.add(states.get(t).split(new long[] { sources.reading(t + 1) }, 0).get(1));
				}
			}
			if (sources.size() > sources.reading(0)) {
				pieces.add(half(manager, sources.size() - sources.reading(0), hidden));
			}
			return (pieces.size() == 1) ? pieces.head() : NDArrays.concat(pieces, 0);
		}

		/**
		 * Backpropagates {@code dL/ds} of the final states through the encoder; keeps
		 * {@code dL/dQ} for autograd.
		 * @return the gradient of {@code 4 W_h}, or null when every source is empty
		 */
		NDArray backward(Weights weights, NDArray finalGradient) {
			int longest = this.sources.longest();
			if (longest == 0) {
				return null;
			}
			NDArray[] injected = injections(finalGradient);
			NDList slopes = sigmoidSlopes(NDArrays.concat(this.states, 0)).split(this.sources.stepStarts(), 0);
			NDList gradients = new NDList(longest);
			NDArray gradient = null;
			for (int t = longest - 1; t >= 0; t--) {
				NDArray outer;
				if (gradient == null) {
					outer = injected[t];
				}
				else {
					NDArray carried = gradient.matMul(weights.quadrupled);
					outer = (injected[t] == null) ? carried : NDArrays.concat(new NDList(carried, injected[t]), 0);
				}
				gradient = outer.mul(slopes.get(t));
				gradients.add(0, gradient);
			}
			this.termGradient = NDArrays.concat(gradients, 0);
			NDList before = new NDList(longest);
			before.add(half(finalGradient.getManager(), this.sources.reading(0), finalGradient.getShape().get(1)));
			for (int t = 1; t < longest; t++) {
				before.add(readers(this.states.get(t - 1), this.sources.reading(t)));
			}
			return this.termGradient.transpose().matMul(NDArrays.concat(before, 0));
		}

		/**
		 * The final states' gradient cut where each row finished: step {@code t}'s entry
		 * holds the rows that read their last symbol there (null if none).
		 */
		private NDArray[] injections(NDArray finalGradient) {
			int longest = this.sources.longest();
			long[] cuts = new long[longest];
			int cutCount = 0;
			int at = this.sources.reading(longest - 1);
			for (int t = longest - 2; t >= 0; t--) {
				if (this.sources.reading(t) > this.sources.reading(t + 1)) {
					cuts[cutCount++] = at;
					at = this.sources.reading(t);
				}
			}
			if (this.sources.size() > at) {
				cuts[cutCount++] = at;
			}
			NDList parts = (cutCount == 0) ? new NDList(finalGradient)
					: finalGradient.split(Arrays.copyOf(cuts, cutCount), 0);
			NDArray[] byStep = new NDArray[longest];
			int part = 0;
			byStep[longest - 1] = parts.get(part++);
			for (int t = longest - 2; t >= 0; t--) {
				if (this.sources.reading(t) > this.sources.reading(t + 1)) {
					byStep[t] = parts.get(part++);
				}
			}
			return byStep;
		}

	}

}
