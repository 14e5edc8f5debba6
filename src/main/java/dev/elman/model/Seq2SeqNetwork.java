package dev.elman.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.recurrent.RecurrentBlock;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

/**
 * The encoder/decoder network as a DJL block: embedding lookup, encoder RNN, decoder RNN
 * started from the encoder's final state, linear layer to the vocabulary.
 *
 * <p>
 * Sequences are time-major, {@code (time, batch)}: that is the layout PyTorch's fused RNN
 * computes in, so no transposed copies are made on the way in or out.
 *
 * <p>
 * With {@link WeightSharing#TIED} the encoder and decoder are one and the same child
 * block (and one embedding), so there is only one set of those weights to update, save
 * and count.
 *
 * <p>
 * Truncated backpropagation through time: with a window of {@code k} steps each RNN is
 * unrolled in pieces of at most {@code k} steps and the state handed from one piece to
 * the next is detached, so no gradient flows further back than the piece it came from.
 * The encoder's pieces are aligned to its end, so its last {@code k} inputs always get
 * gradient; the decoder's start at its first step. The encoder's final state enters the
 * decoder with its gradient: that is the only path by which the encoder learns.
 */
public final class Seq2SeqNetwork extends AbstractBlock {

	private static final byte VERSION = 1;

	private final ModelSpec spec;

	private final int vocabularySize;

	private final TokenEmbedding sourceEmbedding;

	private final TokenEmbedding targetEmbedding;

	/**
	 * From this many distinct source lengths in a batch on, the encoder runs once over
	 * the batch padded to its longest source instead of once per length (where the cell
	 * allows).
	 */
	static final int PADDED_FROM_LENGTHS = 3;

	private final RecurrentBlock encoder;

	private final RecurrentBlock decoder;

	private final Linear output;

	/**
	 * {@link #getParameters()}'s values: DJL builds that list anew at each call, walking
	 * the child blocks, and a training step reads it.
	 */
	private final List<Parameter> parametersInOrder;

	Seq2SeqNetwork(ModelSpec spec, int vocabularySize) {
		super(VERSION);
		this.spec = spec;
		this.vocabularySize = vocabularySize;
		if (spec.tied()) {
			this.sourceEmbedding = addChildBlock("embedding", new TokenEmbedding(vocabularySize, spec.embeddingSize()));
			this.targetEmbedding = this.sourceEmbedding;
			this.encoder = addChildBlock("recurrent", spec.cell().newBlock(spec.hiddenSize(), spec.layers()));
			this.decoder = this.encoder;
		}
		else {
			this.sourceEmbedding = addChildBlock("sourceEmbedding",
					new TokenEmbedding(vocabularySize, spec.embeddingSize()));
			this.encoder = addChildBlock("encoder", spec.cell().newBlock(spec.hiddenSize(), spec.layers()));
			this.targetEmbedding = addChildBlock("targetEmbedding",
					new TokenEmbedding(vocabularySize, spec.embeddingSize()));
			this.decoder = addChildBlock("decoder", spec.cell().newBlock(spec.hiddenSize(), spec.layers()));
		}
		this.output = addChildBlock("output", Linear.builder().setUnits(vocabularySize).build());
		this.parametersInOrder = List.copyOf(getParameters().values());
	}

	/**
	 * Returns every parameter in the order of {@link #getParameters()}, the order of the
	 * flat parameters.
	 * @return the parameters, an unmodifiable list
	 */
	public List<Parameter> parametersInOrder() {
		return this.parametersInOrder;
	}

	/**
	 * Sets PyTorch's default initialisation on every parameter but the recurrent
	 * matrices, which start as {@code recurrent} says, all drawn from one seeded
	 * generator, with each parameter a slice of {@code flat}. Call before
	 * {@link #initialize}.
	 */
	void useSeededInitialization(long seed, FlatParameters flat, RecurrentInitialization recurrent) {
		SplittableRandom random = new SplittableRandom(seed);
		Initializer embedding = flat.slices(PyTorchDefaultInitializer.normal(random));
		this.sourceEmbedding.setInitializer(embedding, (parameter) -> true);
		this.targetEmbedding.setInitializer(embedding, (parameter) -> true);
		Initializer uniform = flat.slices(PyTorchDefaultInitializer.uniform(random, this.spec.hiddenSize()));
		this.encoder.setInitializer(uniform, (parameter) -> true);
		this.decoder.setInitializer(uniform, (parameter) -> true);
		if (recurrent == RecurrentInitialization.ORTHOGONAL) {
			Initializer orthogonal = flat.slices(new OrthogonalInitializer(random));
			this.encoder.setInitializer(orthogonal, Seq2SeqNetwork::isRecurrentMatrix);
			this.decoder.setInitializer(orthogonal, Seq2SeqNetwork::isRecurrentMatrix);
		}
		this.output.setInitializer(flat.slices(PyTorchDefaultInitializer.uniform(random, this.spec.hiddenSize())),
				(parameter) -> true);
	}

	/** DJL names each layer's {@code W_h} {@code l_<layer>_h2h_WEIGHT}. */
	private static boolean isRecurrentMatrix(Parameter parameter) {
		return parameter.getName().endsWith("_h2h_WEIGHT");
	}

	@Override
	protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
		Shape source = inputShapes[0];
		Shape target = inputShapes[1];
		long batch = source.get(1);
		this.sourceEmbedding.initialize(manager, dataType, source);
		// Time-major shapes; the layout is left unknown because DJL's check assumes
		// batch-major.
		this.encoder.initialize(manager, dataType, new Shape(source.get(0), batch, this.spec.embeddingSize()));
		if (!this.spec.tied()) {
			this.targetEmbedding.initialize(manager, dataType, target);
			this.decoder.initialize(manager, dataType, new Shape(target.get(0), batch, this.spec.embeddingSize()));
		}
		this.output.initialize(manager, dataType, new Shape(target.get(0), batch, this.spec.hiddenSize()));
	}

	@Override
	public Shape[] getOutputShapes(Shape[] inputShapes) {
		return new Shape[] { new Shape(inputShapes[1].get(0), inputShapes[1].get(1), this.vocabularySize) };
	}

	/**
	 * Teacher-forced forward pass over the whole sequences: inputs are the source ids
	 * {@code (S, B)} and the decoder input ids {@code (T, B)}; the output is the logits
	 * {@code (T, B, V)}.
	 */
	@Override
	protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
			PairList<String, Object> params) {
		return new NDList(teacherForced(parameterStore, inputs.get(0), inputs.get(1), 0, training));
	}

	/**
	 * Teacher-forced forward pass with truncated backpropagation through time.
	 * @param parameterStore the parameters
	 * @param source source ids {@code (S, B)}, all of the same length
	 * @param decoderInput the begin id followed by the target ids {@code (T, B)}
	 * @param window truncation window in steps, 0 for full backpropagation
	 * @param training whether to record for training
	 * @return the logits {@code (T, B, V)}
	 */
	public NDArray teacherForced(ParameterStore parameterStore, NDArray source, NDArray decoderInput, int window,
			boolean training) {
		return decodeTeacherForced(parameterStore, encode(parameterStore, source, window, training), decoderInput,
				window, training);
	}

	/**
	 * Teacher-forced forward pass over a batch of mixed source lengths.
	 * @param parameterStore the parameters
	 * @param sources the sources, grouped by length
	 * @param decoderInput the begin id followed by the target ids {@code (T, B)}, rows in
	 * {@link SourceBatch#order()}
	 * @param window truncation window in steps, 0 for full backpropagation
	 * @param training whether to record for training
	 * @return the logits {@code (T, B, V)}
	 */
	public NDArray teacherForced(ParameterStore parameterStore, SourceBatch sources, NDArray decoderInput, int window,
			boolean training) {
		return decodeTeacherForced(parameterStore, encode(parameterStore, sources, window, training), decoderInput,
				window, training);
	}

	private NDArray decodeTeacherForced(ParameterStore parameterStore, NDList state, NDArray decoderInput, int window,
			boolean training) {
		NDArray embedded = this.targetEmbedding.forward(parameterStore, new NDList(decoderInput), training).head();
		NDArray outputs = unroll(this.decoder, parameterStore, embedded, state, window, false, training).head();
		return this.output.forward(parameterStore, new NDList(outputs), training).head();
	}

	/**
	 * Runs the encoder.
	 * @param parameterStore the parameters
	 * @param source source ids {@code (S, B)} with {@code S >= 1}
	 * @param window truncation window in steps, 0 for none
	 * @param training whether to record for training
	 * @return the final state: {@code [h]}, or {@code [h, c]} for LSTM, each
	 * {@code (layers, B, hidden)}
	 */
	public NDList encode(ParameterStore parameterStore, NDArray source, int window, boolean training) {
		NDArray embedded = this.sourceEmbedding.forward(parameterStore, new NDList(source), training).head();
		NDList initial = zeroState(embedded.getManager(), source.getShape().get(1));
		NDList unrolled = unroll(this.encoder, parameterStore, embedded, initial, window, true, training);
		return unrolled.subNDList(1);
	}

	/**
	 * Runs the encoder over sources of mixed lengths, one fused call per length.
	 * @param parameterStore the parameters
	 * @param sources the sources, grouped by length
	 * @param window truncation window in steps, 0 for none
	 * @param training whether to record for training
	 * @return the final states in {@link SourceBatch#order()}
	 */
	public NDList encode(ParameterStore parameterStore, SourceBatch sources, int window, boolean training) {
		if (sources.lengths() >= PADDED_FROM_LENGTHS && canReadStatesFromOutputs(sources, window)) {
			return encodePadded(parameterStore, sources, training);
		}
		List<NDList> states = new ArrayList<>(sources.groups().size());
		for (int i = 0; i < sources.groups().size(); i++) {
			NDArray group = sources.groups().get(i);
			states.add((group != null) ? encode(parameterStore, group, window, training)
					: zeroState(sources.manager(), sources.groupSizes().get(i)));
		}
		if (states.size() == 1) {
			return states.get(0);
		}
		NDList state = new NDList(states.get(0).size());
		for (int part = 0; part < states.get(0).size(); part++) {
			NDList pieces = new NDList(states.size());
			for (NDList group : states) {
				pieces.add(group.get(part));
			}
			state.add(NDArrays.concat(pieces, 1));
		}
		return state;
	}

	/**
	 * Where a cell's output at a step is its whole state (one layer, a state without a
	 * cell memory), the state after a row's last symbol can be read from the outputs of
	 * one fused call over the batch padded at the end; truncation windows align to each
	 * row's end, which one call cannot do, and an empty source has no last step.
	 */
	private boolean canReadStatesFromOutputs(SourceBatch sources, int window) {
		return (window <= 0 || window >= sources.longest()) && this.spec.layers() == 1
				&& this.spec.cell().stateArity() == 1 && !sources.hasEmptySource();
	}

	/**
	 * One fused call over the whole batch padded at the end, then each row's state read
	 * at its own last step: exact, since padding only ever follows it. On a batch of many
	 * lengths this costs the padded steps' arithmetic instead of one call per length, and
	 * a call costs far more than these small matrices' arithmetic.
	 */
	private NDList encodePadded(ParameterStore parameterStore, SourceBatch sources, boolean training) {
		NDArray padded = sources.padded();
		NDArray embedded = this.sourceEmbedding.forward(parameterStore, new NDList(padded), training).head();
		NDList initial = zeroState(embedded.getManager(), sources.size());
		NDArray outputs = runCell(this.encoder, parameterStore, embedded, initial, training).head();
		NDArray last = outputs.reshape(-1, this.spec.hiddenSize()).get(sources.lastSteps());
		return new NDList(last.expandDims(0));
	}

	/**
	 * One decoder step for greedy decoding.
	 * @param parameterStore the parameters
	 * @param tokens the previous ids {@code (1, B)}
	 * @param state the decoder state
	 * @return the logits {@code (1, B, V)} followed by the new state
	 */
	public NDList step(ParameterStore parameterStore, NDArray tokens, NDList state) {
		NDArray embedded = this.targetEmbedding.forward(parameterStore, new NDList(tokens), false).head();
		NDList stepped = runCell(this.decoder, parameterStore, embedded, state, false);
		NDArray logits = this.output.forward(parameterStore, new NDList(stepped.head()), false).head();
		NDList result = new NDList(logits);
		result.addAll(stepped.subNDList(1));
		return result;
	}

	/**
	 * Returns a zero state for a batch.
	 * @param manager where to create it
	 * @param batch the batch size
	 * @return {@code [h]} or {@code [h, c]}, zeros of {@code (layers, batch, hidden)}
	 */
	public NDList zeroState(NDManager manager, long batch) {
		NDList state = new NDList(this.spec.cell().stateArity());
		for (int i = 0; i < this.spec.cell().stateArity(); i++) {
			state.add(manager.zeros(new Shape(this.spec.layers(), batch, this.spec.hiddenSize())));
		}
		return state;
	}

	/**
	 * Unrolls an RNN over {@code inputs (T, B, E)} from {@code state}, in windows when
	 * asked.
	 * @return the outputs {@code (T, B, H)} followed by the final state
	 */
	static NDList unroll(RecurrentBlock rnn, ParameterStore parameterStore, NDArray inputs, NDList state, int window,
			boolean alignToEnd, boolean training) {
		long steps = inputs.getShape().get(0);
		if (window <= 0 || window >= steps) {
			return runCell(rnn, parameterStore, inputs, state, training);
		}
		List<long[]> pieces = windows(steps, window, alignToEnd);
		NDList outputs = new NDList(pieces.size());
		NDList current = state;
		for (int i = 0; i < pieces.size(); i++) {
			long[] piece = pieces.get(i);
			if (i > 0) {
				current = detach(current);
			}
			NDArray slice = inputs.get(new NDIndex().addSliceDim(piece[0], piece[1]));
			NDList result = runCell(rnn, parameterStore, slice, current, training);
			outputs.add(result.head());
			current = result.subNDList(1);
		}
		NDList result = new NDList(NDArrays.concat(outputs, 0));
		result.addAll(current);
		return result;
	}

	/**
	 * Splits {@code [0, steps)} into windows of at most {@code window} steps; when
	 * aligned to the end, the short window (if any) comes first.
	 */
	static List<long[]> windows(long steps, int window, boolean alignToEnd) {
		List<long[]> pieces = new ArrayList<>();
		long start = alignToEnd ? steps - ((steps - 1) / window + 1) * window : 0;
		for (long from = start; from < steps; from += window) {
			pieces.add(new long[] { Math.max(0, from), Math.min(steps, from + window) });
		}
		return pieces;
	}

	private static NDList detach(NDList state) {
		NDList detached = new NDList(state.size());
		for (NDArray array : state) {
			detached.add(array.stopGradient());
		}
		return detached;
	}

	private static NDList runCell(RecurrentBlock rnn, ParameterStore parameterStore, NDArray inputs, NDList state,
			boolean training) {
		NDList arguments = new NDList(1 + state.size());
		arguments.add(inputs);
		arguments.addAll(state);
		return rnn.forward(parameterStore, arguments, training);
	}

	/**
	 * Returns the recurrent matrices {@code W_h} of every layer, whose largest singular
	 * value decides whether gradients explode or vanish. Tied networks have one set,
	 * named {@code shared}.
	 * @return matrices by readable name, for example {@code encoder.layer0}
	 */
	public Map<String, Parameter> recurrentMatrices() {
		Map<String, Parameter> matrices = new LinkedHashMap<>();
		addRecurrent(matrices, this.spec.tied() ? "shared" : "encoder", this.encoder);
		if (!this.spec.tied()) {
			addRecurrent(matrices, "decoder", this.decoder);
		}
		return matrices;
	}

	private void addRecurrent(Map<String, Parameter> matrices, String prefix, RecurrentBlock rnn) {
		for (int layer = 0; layer < this.spec.layers(); layer++) {
			matrices.put(prefix + ".layer" + layer, rnn.getDirectParameters().get("l_" + layer + "_h2h_WEIGHT"));
		}
	}

	/**
	 * Returns the shape every parameter must have, in the order of
	 * {@link #getParameters()}.
	 * @return the shapes
	 */
	List<Shape> expectedShapes() {
		List<Shape> shapes = new ArrayList<>();
		Shape embedding = new Shape(this.vocabularySize, this.spec.embeddingSize());
		shapes.add(embedding);
		addRecurrentShapes(shapes);
		if (!this.spec.tied()) {
			shapes.add(embedding);
			addRecurrentShapes(shapes);
		}
		shapes.add(new Shape(this.vocabularySize, this.spec.hiddenSize()));
		shapes.add(new Shape(this.vocabularySize));
		return shapes;
	}

	/**
	 * DJL's order per layer: input and recurrent weights, then input and recurrent
	 * biases.
	 */
	private void addRecurrentShapes(List<Shape> shapes) {
		long gated = (long) gates(this.spec.cell()) * this.spec.hiddenSize();
		for (int layer = 0; layer < this.spec.layers(); layer++) {
			long inputs = (layer == 0) ? this.spec.embeddingSize() : this.spec.hiddenSize();
			shapes.add(new Shape(gated, inputs));
			shapes.add(new Shape(gated, this.spec.hiddenSize()));
			shapes.add(new Shape(gated));
			shapes.add(new Shape(gated));
		}
	}

	private static int gates(Cell cell) {
		return switch (cell) {
			case RNN_TANH, RNN_RELU -> 1;
			case GRU -> 3;
			case LSTM -> 4;
		};
	}

	/**
	 * Returns the number of distinct trainable values.
	 * @return the parameter count
	 */
	public long parameterCount() {
		long count = 0;
		for (Parameter parameter : this.parametersInOrder) {
			count += parameter.getArray().getShape().size();
		}
		return count;
	}

	ModelSpec spec() {
		return this.spec;
	}

	TokenEmbedding sourceEmbedding() {
		return this.sourceEmbedding;
	}

	TokenEmbedding targetEmbedding() {
		return this.targetEmbedding;
	}

	Linear outputBlock() {
		return this.output;
	}

	RecurrentBlock encoderBlock() {
		return this.encoder;
	}

	RecurrentBlock decoderBlock() {
		return this.decoder;
	}

}
