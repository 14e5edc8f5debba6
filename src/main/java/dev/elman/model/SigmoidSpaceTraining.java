package dev.elman.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;

/**
 * One teacher-forced training step of a one-layer {@code rnn-tanh} network, forward and
 * backward (or the forward pass alone, for a held-out loss), written out by hand in
 * sigmoid space: the loss and gradients autograd gives through PyTorch's fused RNN, with
 * less work and no graph at all.
 *
 * <p>
 * Why by hand: the fused RNN's backward is a graph of several nodes per time step, and
 * each step's {@code W_h} gradient is its own small matrix product added to the last;
 * autograd also records, frees and accumulates every operation around it. Here the
 * recurrence costs one product and one sigmoid per step forward and one product and one
 * multiplication per step backward, and each weight's gradient is one product over every
 * step at once. The sigmoid replaces the tanh ({@code tanh(z) = 2 sigmoid(2z) - 1}, see
 * {@link SigmoidSpaceElman}): PyTorch's CPU tanh costs several times its sigmoid. Both
 * RNNs run over rows packed longest first ({@link PackedSources}): no step computes a
 * padded row, in the encoder or the decoder, nor does the output layer.
 *
 * <p>
 * The state is carried as {@code s = (h + 1) / 2}: {@code s_t = sigmoid(a_t)}, {@code a_t
 * = Q_t + s_{t-1} (4 W_h)^T}, {@code Q_t = T[x_t]} with the table
 * {@code T = E (2 W_x)^T + c} and {@code c = 2 (b_x + b_h - W_h 1)}; the zero state is
 * {@code s = 1/2}; the logits are {@code s (2 W_o)^T + b_o - W_o 1}. Backward:
 * {@code dL/dlogits = softmax - onehot(label)} on real labels, scaled;
 * {@code dL/da_t = dL/ds_t * s_t (1 - s_t)}; {@code dL/ds_{t-1} += dL/da_t (4 W_h)}; then
 * each parameter's gradient through the folding above (see {@code Weights.inputGradient}
 * for the embedding's).
 *
 * <p>
 * Safe to run on several threads at once over one network's parameters: it reads them and
 * writes nothing but its own arrays.
 */
public final class SigmoidSpaceTraining {

	/**
	 * The largest vocabulary trained this way: the one-hot matrices of a batch's symbols
	 * and labels take vocabulary times symbols floats. Up to here it was measured faster
	 * ({@code TrainingStepBenchmark}, 128 rows of 5 to 20 symbols: 200 symbols 23.1 ms a
	 * step through autograd against 20.9 by hand, 1,000 symbols 62.5 against 54.8).
	 */
	static final int MOST_SYMBOLS = 1024;

	/**
	 * The most values one of a batch's one-hot matrices may hold (64 MB of floats); a
	 * larger batch takes the autograd path, which looks its symbols up instead.
	 */
	static final long MOST_ONE_HOT_VALUES = 1L << 24;

	/**
	 * Below this many classes the log-softmax runs along a middle axis (see the loss).
	 */
	private static final int SMALL_VOCABULARY = 32;

	private SigmoidSpaceTraining() {
	}

	/**
	 * Whether a step of this network can be computed this way: on the CPU (on a GPU the
	 * fused RNN has not been measured against it), the tanh cell, one layer, at most
	 * {@value #MOST_SYMBOLS} symbols, and a truncation window that cuts neither the
	 * sources nor the targets.
	 * @param spec the network's spec
	 * @param device where it trains
	 * @param vocabularySize the number of symbols, reserved ones included
	 * @param window the truncation window in steps, 0 for none
	 * @param longestSource the batch's longest source
	 * @param decoderSteps the batch's decoder steps (longest target plus one)
	 * @return whether {@link #lossAndGradient} and {@link #loss} apply
	 */
	public static boolean supports(ModelSpec spec, Device device, int vocabularySize, int window, int longestSource,
			int decoderSteps) {
		return !device.isGpu() && spec.cell() == Cell.RNN_TANH && spec.layers() == 1 && vocabularySize <= MOST_SYMBOLS
				&& (window <= 0 || (window >= longestSource && window >= decoderSteps));
	}

	/**
	 * Whether a batch's one-hot matrices stay within {@link #MOST_ONE_HOT_VALUES}.
	 * @param vocabularySize the number of symbols, reserved ones included
	 * @param rows the batch's rows
	 * @param decoderSteps the batch's decoder steps (longest target plus one)
	 * @param sourceSymbols the symbols of all its sources together
	 * @return whether {@link #lossAndGradient} and {@link #loss} may take it
	 */
	public static boolean fits(int vocabularySize, int rows, int decoderSteps, long sourceSymbols) {
		long decoderRows = (long) rows * decoderSteps;
		return decoderRows * vocabularySize <= MOST_ONE_HOT_VALUES
				&& sourceSymbols * vocabularySize <= MOST_ONE_HOT_VALUES;
	}

	/**
	 * The loss of a batch, normalised by a given symbol count, and its gradient.
	 *
	 * @param loss the masked cross-entropy of the real labels, times the scale given
	 * @param gradient the gradient of every parameter, laid out as the flat parameters
	 * (in the order of the network's {@code getParameters()})
	 */
	public record Step(float loss, NDArray gradient) {

	}

	/**
	 * Computes the loss of a batch and its gradient.
	 * @param network an {@code rnn-tanh} network of one layer
	 * @param parameterStore the parameters
	 * @param sources the sources
	 * @param targets the target ids of the rows in {@link PackedSources#order()}, without
	 * the end symbol
	 * @param scale what each real label's negative log-likelihood counts (one over the
	 * whole batch's symbol count, so parts of a batch add up)
	 * @param manager where every array made here goes; the gradient stays there
	 * @return the loss and the gradient
	 */
	public static Step lossAndGradient(Seq2SeqNetwork network, ParameterStore parameterStore, PackedSources sources,
			long[][] targets, float scale, NDManager manager) {
		try (Autograd off = Autograd.disabled()) {
			Forward forward = Forward.run(network, parameterStore, sources, targets, scale, manager);
			int vocabulary = forward.vocabulary();
			Weights encoder = forward.encoder();
			Weights decoder = forward.decoder();
			EncoderPass encoded = forward.encoded();
			DecoderPass decoded = forward.decoded();
			// Softmax minus each real label's one-hot row, times the scale.
			NDArray logitGradient = forward.logProbabilities().exp().muli(scale).subi(forward.weighted());
			NDArray stateGradient = DirectCalls.matMul(logitGradient, forward.doubledOutput());
			NDArray foldedBiasGradient = logitGradient.sum(new int[] { 0 });
			NDArray outputWeightGradient = DirectCalls.matMul(DirectCalls.transposed(logitGradient), decoded.stateRows)
				.mul(encoder.two())
				.sub(foldedBiasGradient.expandDims(1));

			NDArray decoderQuadrupledGradient = decoded.backward(decoder, stateGradient);
			NDArray encoderQuadrupledGradient = encoded.backward(encoder, decoded.initialStateGradient);

			Map<Parameter, NDArray> gradients = new IdentityHashMap<>();
			gradients.put(forward.outputWeight(), outputWeightGradient);
			gradients.put(forward.outputBias(), foldedBiasGradient);
			InputGradient decoderInput = decoder.inputGradient(forward.rows().inputs().oneHot(manager, vocabulary),
					decoded.inputIds, decoded.termGradient);
			InputGradient encoderInput = (encoded.termGradient == null) ? null : encoder
				.inputGradient(sources.oneHot(manager, vocabulary), encoded.inputIds, encoded.termGradient);
			if (decoder == encoder) {
				encoder.putGradients(gradients, decoderInput.plus(encoderInput), (encoderQuadrupledGradient == null)
						? decoderQuadrupledGradient : decoderQuadrupledGradient.add(encoderQuadrupledGradient));
			}
			else {
				decoder.putGradients(gradients, decoderInput, decoderQuadrupledGradient);
				if (encoderInput == null) {
					encoder.putZeroGradients(gradients);
				}
				else {
					encoder.putGradients(gradients, encoderInput, encoderQuadrupledGradient);
				}
			}
			NDList flat = new NDList(gradients.size());
			for (Parameter parameter : network.parametersInOrder()) {
				NDArray gradient = gradients.get(parameter);
				// A parameter's shape is cached once read; a fresh gradient's is not.
				flat.add((parameter.getArray().getShape().dimension() == 1) ? gradient : gradient.reshape(-1));
			}
			return new Step(forward.value(), DirectCalls.concatRows(flat));
		}
	}

	/**
	 * The loss of a batch alone: the forward pass of {@link #lossAndGradient}, as a
	 * held-out evaluation needs it. Sharing the training step's code also spares a fresh
	 * JVM compiling a second forward pass (DJL's blocks and the fused RNN) while it
	 * trains.
	 * @param network an {@code rnn-tanh} network of one layer
	 * @param parameterStore the parameters
	 * @param sources the sources
	 * @param targets the target ids of the rows in {@link PackedSources#order()}, without
	 * the end symbol
	 * @param scale what each real label's negative log-likelihood counts
	 * @param manager where every array made here goes
	 * @return the masked cross-entropy of the real labels, times the scale
	 */
	public static float loss(Seq2SeqNetwork network, ParameterStore parameterStore, PackedSources sources,
			long[][] targets, float scale, NDManager manager) {
		try (Autograd off = Autograd.disabled()) {
			return Forward.run(network, parameterStore, sources, targets, scale, manager).value();
		}
	}

	/**
	 * A batch's forward pass and loss, kept for its backward pass.
	 *
	 * @param vocabulary the number of symbols
	 * @param rows the decoder's rows
	 * @param encoder the encoder's weights as read
	 * @param decoder the decoder's, the same when tied
	 * @param outputWeight the output layer's weight parameter
	 * @param outputBias its bias parameter
	 * @param doubledOutput {@code 2 W_o}
	 * @param encoded the encoder's pass
	 * @param decoded the decoder's pass
	 * @param logProbabilities a row per decoder row
	 * @param weighted each real label's one-hot row times the scale
	 * @param value the loss
	 */
	private record Forward(int vocabulary, DecoderRows rows, Weights encoder, Weights decoder, Parameter outputWeight,
			Parameter outputBias, NDArray doubledOutput, EncoderPass encoded, DecoderPass decoded,
			NDArray logProbabilities, NDArray weighted, float value) {

		static Forward run(Seq2SeqNetwork network, ParameterStore parameterStore, PackedSources sources,
				long[][] targets, float scale, NDManager manager) {
			int vocabulary = (int) network.sourceEmbedding().getDirectParameters().get("weight").getShape().get(0);
			long hidden = network.spec().hiddenSize();
			DecoderRows rows = DecoderRows.of(targets, vocabulary, scale);
			NDArray two = manager.full(new Shape(), 2f, DataType.FLOAT32);
			NDArray four = manager.full(new Shape(), 4f, DataType.FLOAT32);
			Weights encoder = Weights.of(network.sourceEmbedding(), network.encoderBlock(), parameterStore, two, four);
			Weights decoder = network.spec().tied() ? encoder
					: Weights.of(network.targetEmbedding(), network.decoderBlock(), parameterStore, two, four);
			Parameter outputWeight = network.outputBlock().getDirectParameters().get("weight");
			Parameter outputBias = network.outputBlock().getDirectParameters().get("bias");
			NDArray weight = parameterStore.getValue(outputWeight, manager.getDevice(), true);
			NDArray bias = parameterStore.getValue(outputBias, manager.getDevice(), true);

			EncoderPass encoded = EncoderPass.run(encoder, sources, manager, hidden);
			DecoderPass decoded = DecoderPass.run(decoder, rows, encoded.finalStates, manager);

			// Output layer and loss: logits s (2 W_o)^T + b_o - W_o 1, (N, V).
			NDArray doubledOutput = owned(weight.mul(two), manager);
			NDArray foldedBias = owned(bias.sub(owned(weight.sum(new int[] { 1 }), manager)), manager);
			NDArray logits = decoded.stateRows.getNDArrayInternal()
				.linear(decoded.stateRows, doubledOutput, foldedBias)
				.head();
			NDArray logProbabilities = (vocabulary < SMALL_VOCABULARY)
					? DirectCalls.transposed(DirectCalls.transposed(logits).logSoftmax(0)) : logits.logSoftmax(1);
			// Each real label's one-hot row times the scale: the loss is minus its
			// sum with the log-probabilities, and softmax minus it the logits'
			// gradient.
			NDArray weighted = manager.create(rows.weightedLabels, new Shape(rows.size(), vocabulary));
			float value = -logProbabilities.mul(weighted).sum().getFloat();
			return new Forward(vocabulary, rows, encoder, decoder, outputWeight, outputBias, doubledOutput, encoded,
					decoded, logProbabilities, weighted, value);
		}

	}

	/** {@code s (1 - s)}, the sigmoid's slope at states {@code s}. */
	private static NDArray sigmoidSlopes(NDArray states) {
		return states.sub(states.square());
	}

	/**
	 * A recurrence run over packed rows, kept for its backward pass: at step {@code t}
	 * the first {@code reading(t)} rows advance from their previous states.
	 *
	 * @param readStates the states each step read, {@code (reading(t), H)}: the initial
	 * states, then the leading rows of the step before
	 * @param states each step's states, {@code (reading(t), H)}
	 */
	private record Recurrence(NDList readStates, NDList states) {

		/**
		 * Runs the recurrence.
		 * @param initialStates the states before the first step, a row for each of the
		 * {@code reading(0)} rows that read a symbol at all (the row counts are not asked
		 * of PyTorch, so they must hold)
		 */
		static Recurrence run(Weights weights, PackedSources rows, NDArray ids, NDArray initialStates) {
			assert initialStates.getShape().get(0) == rows.reading(0);
			NDList terms = DirectCalls.splitRows(weights.terms(ids), rows.stepLengths());
			NDList read = new NDList(rows.longest());
			NDList states = new NDList(rows.longest());
			NDArray state = initialStates;
			for (int t = 0; t < rows.longest(); t++) {
				if (t > 0) {
					state = readers(state, rows, t);
				}
				read.add(state);
				state = weights.advance(state, terms.get(t));
				states.add(state);
			}
			return new Recurrence(read, states);
		}

		/**
		 * The gradient of {@code 4 W_h}: one product of every packed step's {@code dL/da}
		 * with the states that step read.
		 * @param termGradient {@code dL/da} of every packed row, step after step
		 */
		NDArray recurrentGradient(NDArray termGradient) {
			return DirectCalls.matMul(DirectCalls.transposed(termGradient), DirectCalls.concatRows(this.readStates));
		}

	}

	/** The rows of step {@code t - 1}'s states that read a symbol at step {@code t}. */
	private static NDArray readers(NDArray state, PackedSources rows, int t) {
		return (rows.reading(t) == rows.reading(t - 1)) ? state : DirectCalls.rows(state, 0, rows.reading(t));
	}

	private static NDArray owned(NDArray array, NDManager manager) {
		array.attach(manager);
		return array;
	}

	/**
	 * One RNN's parameters as this step reads them, and what is folded from them, on the
	 * batch's manager (an operation on a parameter leaves its result on the parameter's
	 * long-lived manager).
	 *
	 * @param embedding the embedding parameter {@code E}
	 * @param input the input weight parameter {@code W_x}
	 * @param inputBias the parameter {@code b_x}
	 * @param recurrentBias the parameter {@code b_h}
	 * @param recurrentWeight the parameter {@code W_h}
	 * @param symbols {@code E}'s value
	 * @param doubledInput {@code 2 W_x}
	 * @param table {@code T = E (2 W_x)^T + c}
	 * @param quadrupled {@code 4 W_h}
	 * @param carry {@code (4 W_h)^T}, a view
	 * @param two the constant 2
	 * @param four the constant 4
	 */
	private record Weights(Parameter embedding, Parameter input, Parameter inputBias, Parameter recurrentBias,
			Parameter recurrentWeight, NDArray symbols, NDArray doubledInput, NDArray table, NDArray quadrupled,
			NDArray carry, NDArray two, NDArray four) {

		static Weights of(Block embedding, Block rnn, ParameterStore parameterStore, NDArray two, NDArray four) {
			NDManager manager = two.getManager();
			Device device = manager.getDevice();
			Parameter embeddingWeight = embedding.getDirectParameters().get("weight");
			Parameter input = rnn.getDirectParameters().get("l_0_i2h_WEIGHT");
			Parameter inputBias = rnn.getDirectParameters().get("l_0_i2h_BIAS");
			Parameter recurrentBias = rnn.getDirectParameters().get("l_0_h2h_BIAS");
			Parameter recurrentWeight = rnn.getDirectParameters().get("l_0_h2h_WEIGHT");
			NDArray symbols = parameterStore.getValue(embeddingWeight, device, true);
			NDArray recurrent = parameterStore.getValue(recurrentWeight, device, true);
			NDArray constant = owned(parameterStore.getValue(inputBias, device, true)
				.add(parameterStore.getValue(recurrentBias, device, true)), manager)
				.sub(owned(recurrent.sum(new int[] { 1 }), manager))
				.mul(two);
			NDArray doubledInput = owned(parameterStore.getValue(input, device, true).mul(two), manager);
			NDArray table = owned(symbols.getNDArrayInternal().linear(symbols, doubledInput, constant).head(), manager);
			NDArray quadrupled = owned(recurrent.mul(four), manager);
			return new Weights(embeddingWeight, input, inputBias, recurrentBias, recurrentWeight, symbols, doubledInput,
					table, quadrupled, DirectCalls.transposed(quadrupled), two, four);
		}

		/** {@code Q} of the given ids: their rows of the table, {@code (N, H)}. */
		NDArray terms(NDArray ids) {
			return Embedding.embedding(ids, this.table, SparseFormat.DENSE).head();
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
		 * The gradients of the input side, {@code E} and {@code 2 W_x} and {@code c},
		 * from {@code dL/dQ}, by whichever of two products costs less: through the table,
		 * {@code dL/dT = onehot(x)^T dL/dQ} (vocabulary times symbols times the hidden
		 * size), or through the embedding's few columns,
		 * {@code dL/dE = onehot(x)^T (dL/dQ
		 * (2 W_x))} (symbols times the hidden size times twice the embedding size, plus
		 * the vocabulary times symbols times the embedding size).
		 * @param oneHot the ids as a {@code (V, N)} one-hot matrix
		 * @param ids the ids, {@code (N)}
		 * @param termGradient {@code dL/dQ}, {@code (N, H)}
		 */
		InputGradient inputGradient(NDArray oneHot, NDArray ids, NDArray termGradient) {
			long vocabulary = this.symbols.getShape().get(0);
			long embedding = this.symbols.getShape().get(1);
			long hidden = this.doubledInput.getShape().get(0);
			if (vocabulary * (hidden - embedding) < 2 * hidden * embedding) {
				// T = E (2 W_x)^T + c.
				NDArray tableGradient = DirectCalls.matMul(oneHot, termGradient);
				return new InputGradient(DirectCalls.matMul(tableGradient, this.doubledInput),
						DirectCalls.matMul(DirectCalls.transposed(tableGradient), this.symbols),
						tableGradient.sum(new int[] { 0 }));
			}
			// Q = E[x] (2 W_x)^T + c.
			NDArray embedded = Embedding.embedding(ids, this.symbols, SparseFormat.DENSE).head();
			NDArray embeddedGradient = DirectCalls.matMul(termGradient, this.doubledInput);
			return new InputGradient(DirectCalls.matMul(oneHot, embeddedGradient),
					DirectCalls.matMul(DirectCalls.transposed(termGradient), embedded),
					termGradient.sum(new int[] { 0 }));
		}

		/**
		 * Every parameter's gradient from those of the input side and of {@code 4 W_h}.
		 */
		void putGradients(Map<Parameter, NDArray> gradients, InputGradient input, NDArray quadrupledGradient) {
			// c = 2 (b_x + b_h - W_h 1).
			NDArray constantGradient = input.constant().mul(this.two);
			gradients.put(this.embedding, input.embedding());
			gradients.put(this.input, input.doubledInput().mul(this.two));
			gradients.put(this.inputBias, constantGradient);
			gradients.put(this.recurrentBias, constantGradient);
			gradients.put(this.recurrentWeight, quadrupledGradient.mul(this.four).sub(constantGradient.expandDims(1)));
		}

		void putZeroGradients(Map<Parameter, NDArray> gradients) {
			NDManager manager = this.two.getManager();
			for (Parameter parameter : new Parameter[] { this.embedding, this.input, this.inputBias, this.recurrentBias,
					this.recurrentWeight }) {
				gradients.put(parameter, manager.zeros(parameter.getArray().getShape()));
			}
		}

	}

	/**
	 * The gradients of {@code E}, {@code 2 W_x} and {@code c}.
	 *
	 * @param embedding of {@code E}
	 * @param doubledInput of {@code 2 W_x}
	 * @param constant of {@code c}
	 */
	private record InputGradient(NDArray embedding, NDArray doubledInput, NDArray constant) {

		/**
		 * Tied weights: the encoder's and the decoder's added, when there is the former.
		 */
		InputGradient plus(InputGradient other) {
			return (other == null) ? this : new InputGradient(this.embedding.add(other.embedding),
					this.doubledInput.add(other.doubledInput), this.constant.add(other.constant));
		}

	}

	/**
	 * A batch's decoder rows packed as {@link PackedSources} packs sources, longest
	 * target first with no padding: the inputs {@code <begin> y1 .. yn} and the labels
	 * {@code y1 .. yn <end>}, each real label's one-hot row weighing the scale.
	 *
	 * @param inputs the inputs, packed; its order is the rows' order in the decoder
	 * @param weightedLabels the labels' one-hot rows times the scale, a row per packed
	 * input
	 * @param fromSources the packed-source position of each decoder row, or null where
	 * the two orders are the same
	 * @param toSources the decoder row of each packed-source position, or null likewise
	 */
	private record DecoderRows(PackedSources inputs, float[] weightedLabels, long[] fromSources, long[] toSources) {

		static DecoderRows of(long[][] targets, int vocabulary, float scale) {
			List<long[]> sequences = new ArrayList<>(targets.length);
			for (long[] target : targets) {
				long[] input = new long[target.length + 1];
				input[0] = Vocabulary.BEGIN;
				System.arraycopy(target, 0, input, 1, target.length);
				sequences.add(input);
			}
			PackedSources inputs = PackedSources.of(sequences, IntStream.range(0, targets.length).toArray());
			int[] order = inputs.order();
			float[] weightedLabels = new float[inputs.packed().length * vocabulary];
			for (int t = 0, at = 0; t < inputs.longest(); t++) {
				for (int row = 0; row < inputs.reading(t); row++, at++) {
					long[] target = targets[order[row]];
					long label = (t < target.length) ? target[t] : Vocabulary.END;
					weightedLabels[at * vocabulary + (int) label] = scale;
				}
			}
			boolean same = true;
			long[] fromSources = new long[order.length];
			long[] toSources = new long[order.length];
			for (int row = 0; row < order.length; row++) {
				fromSources[row] = order[row];
				toSources[order[row]] = row;
				same &= order[row] == row;
			}
			return same ? new DecoderRows(inputs, weightedLabels, null, null)
					: new DecoderRows(inputs, weightedLabels, fromSources, toSources);
		}

		int size() {
			return this.inputs.packed().length;
		}

	}

	/**
	 * The decoder's forward pass over packed rows, kept for its backward pass: each row
	 * stops at its end symbol, so no step computes a padded row.
	 */
	private static final class DecoderPass {

		private final DecoderRows rows;

		/** The decoder's recurrence, for the states each step read and made. */
		private final Recurrence recurrence;

		/** Every step's states one after the other, a row per packed input. */
		private final NDArray stateRows;

		/** The decoder's packed input ids. */
		private final NDArray inputIds;

		private NDArray termGradient;

		/** {@code dL/ds} of the initial states, in packed-source order. */
		private NDArray initialStateGradient;

		private DecoderPass(DecoderRows rows, NDArray inputIds, Recurrence recurrence, NDArray stateRows) {
			this.rows = rows;
			this.inputIds = inputIds;
			this.recurrence = recurrence;
			this.stateRows = stateRows;
		}

		static DecoderPass run(Weights weights, DecoderRows rows, NDArray finalStates, NDManager manager) {
			PackedSources inputs = rows.inputs();
			NDArray initialStates = (rows.fromSources() == null) ? finalStates
					: finalStates.get(new NDIndex("{}", manager.create(rows.fromSources())));
			NDArray ids = manager.create(inputs.packed());
			Recurrence recurrence = Recurrence.run(weights, inputs, ids, initialStates);
			return new DecoderPass(rows, ids, recurrence, DirectCalls.concatRows(recurrence.states()));
		}

		/**
		 * Backpropagates {@code dL/ds} of every step's states; keeps {@code dL/dQ} and
		 * {@code dL/ds} of the initial states.
		 * @return the gradient of {@code 4 W_h}
		 */
		NDArray backward(Weights weights, NDArray stateGradient) {
			PackedSources inputs = this.rows.inputs();
			int steps = inputs.longest();
			long[] stepLengths = inputs.stepLengths();
			NDList external = DirectCalls.splitRows(stateGradient, stepLengths);
			NDList slopes = DirectCalls.splitRows(sigmoidSlopes(this.stateRows), stepLengths);
			NDList gradients = new NDList(steps);
			NDArray gradient = null;
			for (int t = steps - 1; t >= 0; t--) {
				NDArray outer;
				if (gradient == null) {
					outer = external.get(t);
				}
				else if (inputs.reading(t + 1) == inputs.reading(t)) {
					outer = gradient.getNDArrayInternal().linear(gradient, weights.carry, external.get(t)).head();
				}
				else {
					// Rows that read their last input here get the loss's gradient alone.
					NDArray here = external.get(t);
					NDArray carried = DirectCalls.rows(here, 0, inputs.reading(t + 1));
					outer = DirectCalls.concatRows(
							gradient.getNDArrayInternal().linear(gradient, weights.carry, carried).head(),
							DirectCalls.rows(here, inputs.reading(t + 1), inputs.reading(t)));
				}
				gradient = outer.muli(slopes.get(t));
				gradients.add(0, gradient);
			}
			this.termGradient = DirectCalls.concatRows(gradients);
			NDArray initialGradient = DirectCalls.matMul(gradient, weights.quadrupled);
			this.initialStateGradient = (this.rows.toSources() == null) ? initialGradient
					: initialGradient.get(new NDIndex("{}", gradient.getManager().create(this.rows.toSources())));
			return this.recurrence.recurrentGradient(this.termGradient);
		}

	}

	/** The encoder's forward pass over packed sources, kept for its backward pass. */
	private static final class EncoderPass {

		private final PackedSources sources;

		/** The recurrence, null when every source is empty. */
		private final Recurrence recurrence;

		/**
		 * The final state of every row, in packed order; zero state for empty sources.
		 */
		private final NDArray finalStates;

		/** The packed ids, null when every source is empty. */
		private final NDArray inputIds;

		/** {@code dL/dQ} of every packed symbol, once {@link #backward} ran. */
		private NDArray termGradient;

		private EncoderPass(PackedSources sources, NDArray inputIds, Recurrence recurrence, NDArray finalStates) {
			this.sources = sources;
			this.inputIds = inputIds;
			this.recurrence = recurrence;
			this.finalStates = finalStates;
		}

		static EncoderPass run(Weights weights, PackedSources sources, NDManager manager, long hidden) {
			int longest = sources.longest();
			if (longest == 0) {
				return new EncoderPass(sources, null, null, half(manager, sources.size(), hidden));
			}
			NDArray ids = manager.create(sources.packed());
			NDArray initialStates = half(manager, sources.reading(0), hidden);
			Recurrence recurrence = Recurrence.run(weights, sources, ids, initialStates);
			return new EncoderPass(sources, ids, recurrence,
					finalStates(sources, recurrence.states(), manager, hidden));
		}

		/** The zero state, {@code s = 1/2}. */
		private static NDArray half(NDManager manager, int rows, long hidden) {
			return manager.full(new Shape(rows, hidden), 0.5f, DataType.FLOAT32);
		}

		/** Longest rows first, then the rows that finished at each earlier step. */
		private static NDArray finalStates(PackedSources sources, NDList states, NDManager manager, long hidden) {
			int longest = sources.longest();
			NDList pieces = new NDList();
			pieces.add(states.get(longest - 1));
			for (int t = longest - 2; t >= 0; t--) {
				if (sources.reading(t) > sources.reading(t + 1)) {
					pieces.add(DirectCalls.rows(states.get(t), sources.reading(t + 1), sources.reading(t)));
				}
			}
			if (sources.size() > sources.reading(0)) {
				pieces.add(half(manager, sources.size() - sources.reading(0), hidden));
			}
			return DirectCalls.concatRows(pieces);
		}

		/**
		 * Backpropagates {@code dL/ds} of the final states through the encoder; keeps
		 * {@code dL/dQ}.
		 * @return the gradient of {@code 4 W_h}, or null when every source is empty
		 */
		NDArray backward(Weights weights, NDArray finalGradient) {
			int longest = this.sources.longest();
			if (longest == 0) {
				return null;
			}
			NDArray[] injected = injections(finalGradient);
			NDList slopes = DirectCalls.splitRows(sigmoidSlopes(DirectCalls.concatRows(this.recurrence.states())),
					this.sources.stepLengths());
			NDList gradients = new NDList(longest);
			NDArray gradient = null;
			for (int t = longest - 1; t >= 0; t--) {
				NDArray outer;
				if (gradient == null) {
					outer = injected[t];
				}
				else {
					NDArray carried = DirectCalls.matMul(gradient, weights.quadrupled);
					outer = (injected[t] == null) ? carried : DirectCalls.concatRows(carried, injected[t]);
				}
				gradient = outer.muli(slopes.get(t));
				gradients.add(0, gradient);
			}
			this.termGradient = DirectCalls.concatRows(gradients);
			return this.recurrence.recurrentGradient(this.termGradient);
		}

		/**
		 * The final states' gradient cut where each row finished: step {@code t}'s entry
		 * holds the rows that read their last symbol there (null if none).
		 */
		private NDArray[] injections(NDArray finalGradient) {
			int longest = this.sources.longest();
			// Rows [0, reading(longest - 1)), then [reading(t + 1), reading(t)) for each
			// step t where rows finish, then the empty sources, whose gradient goes
			// nowhere.
			long[] lengths = new long[longest + 1];
			int count = 0;
			lengths[count++] = this.sources.reading(longest - 1);
			for (int t = longest - 2; t >= 0; t--) {
				if (this.sources.reading(t) > this.sources.reading(t + 1)) {
					lengths[count++] = this.sources.reading(t) - this.sources.reading(t + 1);
				}
			}
			if (this.sources.size() > this.sources.reading(0)) {
				lengths[count++] = this.sources.size() - this.sources.reading(0);
			}
			NDList parts = DirectCalls.splitRows(finalGradient, Arrays.copyOf(lengths, count));
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
