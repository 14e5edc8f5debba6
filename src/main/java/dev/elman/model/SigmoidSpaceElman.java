package dev.elman.model;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.ParameterList;
import ai.djl.nn.core.Embedding;

/**
 * Greedy decoding of an {@code rnn-tanh} network, computed in sigmoid space: the same
 * function with less arithmetic, for inference only.
 *
 * <p>
 * PyTorch's CPU tanh costs about as much as the {@code W_h} product it follows (70 µs for
 * 256 × 128 values, where its sigmoid takes 9 µs). Since
 * {@code tanh(z) = 2 sigmoid(2z) - 1}, the state {@code h} is carried as
 * {@code s = (h + 1) / 2}, and every constant folds into the weights once: {@code s_t =
 * sigmoid(T[x_t] + s_{t-1} (4 W_h)^T)} for the first layer, with the table
 * {@code T = 2 (E W_x^T + b_x + b_h - W_h 1)} that also replaces the embedding lookup and
 * the input product; {@code s_t = sigmoid(s'_t (4 W_x)^T + s_{t-1} (4 W_h)^T + 2 (b_x +
 * b_h - W_x 1 - W_h 1))} for the layers above, whose input is the sigmoid state
 * {@code s'} of the layer below; and logits {@code s (2 W_o)^T + b_o - W_o 1}. A zero
 * state is {@code s = 1/2}.
 *
 * <p>
 * The encoder runs over the rows sorted longest first, with no padding at all: at each
 * step only the rows still reading take part, a prefix of the batch, and a row's state is
 * set aside as it finishes. So a batch of widely spread lengths costs the arithmetic of
 * its symbols, not of its longest source times its rows.
 *
 * <p>
 * Built from the parameters as they are when made: a model whose parameters change makes
 * a new one (see {@link Seq2SeqModel#parametersChanged()}). Safe to use from several
 * threads at once.
 */
final class SigmoidSpaceElman implements DecoderSteps, AutoCloseable {

	/** The most memory the folded weights may take. */
	static final long MOST_FOLDED_BYTES = 64L << 20;

	private final NDManager manager;

	private final FoldedRnn encoder;

	private final FoldedRnn decoder;

	private final NDArray outputWeight;

	private final NDArray outputBias;

	private final long hiddenSize;

	/** The same weights on the heap, or null where they would take too much of it. */
	private final HostElman host;

	private SigmoidSpaceElman(NDManager manager, FoldedRnn encoder, FoldedRnn decoder, NDArray outputWeight,
			NDArray outputBias, long hiddenSize) {
		this.manager = manager;
		this.encoder = encoder;
		this.decoder = decoder;
		this.outputWeight = outputWeight;
		this.outputBias = outputBias;
		this.hiddenSize = hiddenSize;
		this.host = onHost();
	}

	/**
	 * Returns the weights on the heap, for decoding a few inputs without native calls.
	 * @return the heap copy, or null for a network whose weights exceed
	 * {@link HostElman#MOST_FLOATS}
	 */
	HostElman host() {
		return this.host;
	}

	private HostElman onHost() {
		long floats = this.outputWeight.size() + this.outputBias.size() + this.encoder.size()
				+ ((this.decoder != this.encoder) ? this.decoder.size() : 0);
		if (floats > HostElman.MOST_FLOATS) {
			return null;
		}
		HostElman.Rnn encoderOnHost = this.encoder.onHost();
		HostElman.Rnn decoderOnHost = (this.decoder == this.encoder) ? encoderOnHost : this.decoder.onHost();
		try (NDArray transposed = this.outputWeight.transpose()) {
			return new HostElman(encoderOnHost, decoderOnHost, FoldedRnn.rows(transposed),
					this.outputBias.toFloatArray());
		}
	}

	/**
	 * Whether a network is decoded this way: the tanh cell, and folded weights of at most
	 * {@value #MOST_FOLDED_BYTES} bytes (up to three {@code V x H} matrices besides the
	 * model's own), so a large word vocabulary does not double a cached model's memory.
	 */
	static boolean supports(ModelSpec spec, int vocabularySize) {
		long foldedBytes = 3L * vocabularySize * spec.hiddenSize() * Float.BYTES;
		return spec.cell() == Cell.RNN_TANH && foldedBytes <= MOST_FOLDED_BYTES;
	}

	/**
	 * Folds a network's current parameters.
	 * @param network an {@code rnn-tanh} network
	 * @param parent the manager the folded weights live under
	 * @return the folded network; close it to free them
	 */
	static SigmoidSpaceElman fold(Seq2SeqNetwork network, NDManager parent) {
		NDManager manager = parent.newSubManager();
		// The arithmetic on copies in a scratch manager, so nothing but the results
		// stays.
		try (Autograd noGradients = Autograd.disabled(); NDManager scratch = parent.newSubManager()) {
			ModelSpec spec = network.spec();
			FoldedRnn encoder = FoldedRnn.fold(network.sourceEmbedding(), network.encoderBlock(), spec.layers(),
					scratch, manager);
			FoldedRnn decoder = spec.tied() ? encoder : FoldedRnn.fold(network.targetEmbedding(),
					network.decoderBlock(), spec.layers(), scratch, manager);
			ParameterList output = network.outputBlock().getDirectParameters();
			NDArray weight = FoldedRnn.copy(output, "weight", scratch);
			NDArray bias = FoldedRnn.copy(output, "bias", scratch);
			return new SigmoidSpaceElman(manager, encoder, decoder, FoldedRnn.keep(weight.mul(2), manager),
					FoldedRnn.keep(bias.sub(weight.sum(new int[] { 1 })).reshape(-1, 1), manager), spec.hiddenSize());
		}
		catch (RuntimeException ex) {
			manager.close();
			throw ex;
		}
	}

	@Override
	public Encoded encode(NDManager batch, List<long[]> sources, int[] rows) {
		PackedSources packed = PackedSources.of(sources, rows);
		int[] order = packed.order();
		int size = order.length;
		int longest = packed.longest();
		NDList state = new NDList(this.encoder.layers().size());
		for (int layer = 0; layer < this.encoder.layers().size(); layer++) {
			state.add(batch.full(new Shape(size, this.hiddenSize), 0.5f, DataType.FLOAT32));
		}
		if (longest == 0) {
			return new Encoded(order, state);
		}
		long[] packedIds = packed.packed();
		// Every step's ids in one array, cut into views; each step looks its own up, so
		// memory holds one step's arrays at a time however long the sources.
		NDList stepIds = DirectCalls.splitRows(batch.create(packedIds), packed.stepLengths());
		List<NDList> finished = new ArrayList<>();
		int active = size;
		for (int t = 0; t < longest; t++) {
			try (NDManager stepArrays = batch.newSubManager()) {
				state.attach(stepArrays);
				stepIds.get(t).attach(stepArrays);
				if (packed.reading(t) < active) {
					// Rows [reading, active) read their last symbol at the step before.
					NDList kept = new NDList(state.size());
					NDList done = new NDList(state.size());
					for (NDArray layer : state) {
						kept.add(DirectCalls.rows(layer, 0, packed.reading(t)));
						done.add(DirectCalls.rows(layer, packed.reading(t), active));
					}
					done.attach(batch);
					finished.add(done);
					state = kept;
					active = packed.reading(t);
				}
				state = this.encoder.advance(lookUp(this.encoder.table(), stepIds.get(t)), state);
				state.attach(batch);
			}
		}
		if (finished.isEmpty()) {
			return new Encoded(order, state);
		}
		// Longest rows first, then those set aside, latest first.
		NDList stacked = new NDList(state.size());
		for (int layer = 0; layer < state.size(); layer++) {
			NDList pieces = new NDList(finished.size() + 1);
			pieces.add(state.get(layer));
			for (int i = finished.size() - 1; i >= 0; i--) {
				pieces.add(finished.get(i).get(layer));
			}
			stacked.add(DirectCalls.concatRows(pieces));
		}
		return new Encoded(order, stacked);
	}

	@Override
	public NDList step(NDArray tokens, NDList state) {
		NDList next = this.decoder.advance(lookUp(this.decoder.table(), tokens), state);
		NDArray top = next.get(next.size() - 1);
		NDList result = new NDList(1 + next.size());
		// Symbol-major logits, (2 W_o) s^T + the bias column, as linear(a, W, b) = a W^T
		// + b. Its result lands on the first operand's manager, the folded weights' own,
		// so it moves to the step's.
		NDArray logits = top.getNDArrayInternal().linear(this.outputWeight, top, this.outputBias).head();
		logits.attach(top.getManager());
		result.add(logits);
		result.addAll(next);
		return result;
	}

	@Override
	public NDList selectRows(NDList state, NDArray rows) {
		NDList selected = new NDList(state.size());
		for (NDArray array : state) {
			selected.add(array.get(new NDIndex("{}", rows)));
		}
		return selected;
	}

	@Override
	public void close() {
		this.manager.close();
	}

	private static NDArray lookUp(NDArray table, NDArray ids) {
		return Embedding.embedding(ids, table, SparseFormat.DENSE).head();
	}

}
