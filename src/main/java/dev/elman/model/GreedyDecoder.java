package dev.elman.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.elman.engine.ParallelWork;
import dev.elman.http.InvalidFieldException;

/**
 * Batched greedy decoding: each step's most probable symbol is fed back as the next input
 * until the end symbol or the length limit.
 *
 * <p>
 * The arithmetic comes from the model ({@link DecoderSteps}): for {@code rnn-tanh} the
 * sigmoid-space form ({@link SigmoidSpaceElman}), whose encoder runs the rows longest
 * first and sets each aside at its last symbol; for the other cells the network's blocks,
 * encoding inputs of equal length together. Either way no padding ever enters a state and
 * every row's state is exact; the states are then decoded as one batch. Rows that have
 * finished are dropped from the batch once they make up half of it. Each step's arrays
 * are freed before the next one, so memory stays flat however long the outputs. A few
 * inputs of a small enough model are decoded on the heap instead ({@link HostElman}).
 *
 * <p>
 * A decoder given {@link ParallelWork} splits batches of at least twice
 * {@value #MIN_ROWS_PER_SLICE} inputs across its threads.
 *
 * <p>
 * Not thread-safe: one decoder per thread. Any number of decoders may share a model.
 */
public final class GreedyDecoder {

	/** Largest number of inputs decoded as one batch; longer lists are split. */
	public static final int MAX_BATCH = 512;

	/**
	 * Inputs are decoded on the JVM's heap (see {@link HostElman}) while their count
	 * times the multiply-adds of a step ({@code 2 H^2} per layer for an encoder and a
	 * decoder step, {@code H V} for the output) is at most this; beyond, one batch
	 * through PyTorch costs less. Measured with 7-symbol inputs and 15 symbols: at 128
	 * units the heap took 20 µs for one input against 142 µs through PyTorch, 196 against
	 * 266 for eight, 440 against 318 for sixteen; at 256 units 300 against 337 for four,
	 * 670 against 403 for eight.
	 */
	static final long MOST_HOST_MULTIPLY_ADDS = 8L * (2 * 128 * 128 + 128 * 16);

	/**
	 * The largest vocabulary whose symbols are chosen on the host (see
	 * {@link #mostProbable}): its log-probabilities for a batch of {@link #MAX_BATCH}
	 * inputs take 2 MB.
	 */
	static final int MOST_SYMBOLS_CHOSEN_ON_HOST = 1024;

	/** The smallest slice of a batch worth a thread of its own. */
	public static final int MIN_ROWS_PER_SLICE = 64;

	/**
	 * End, unknown and the corpus's symbols follow padding and begin in every vocabulary.
	 */
	private static final int FIRST_GENERATED_ID = Vocabulary.END;

	private static final NDIndex GENERATED_ROWS = new NDIndex(FIRST_GENERATED_ID + ":");

	private final ParallelWork work;

	private final Seq2SeqModel model;

	private final TextCodec codec;

	GreedyDecoder(Seq2SeqModel model, ParallelWork work) {
		this.model = model;
		this.work = work;
		this.codec = new TextCodec(model.spec(), model.vocabulary());
	}

	/**
	 * Decodes texts.
	 * @param inputs the source texts
	 * @param maxLength the most symbols to generate per input, at least 1
	 * @return one generation per input, in order
	 */
	public List<Generation> decode(List<String> inputs, int maxLength) {
		List<long[]> sources = new ArrayList<>(inputs.size());
		int[] unknown = new int[inputs.size()];
		for (int i = 0; i < inputs.size(); i++) {
			Vocabulary.Encoded encoded = this.codec.encodeSource(inputs.get(i));
			sources.add(encoded.ids());
			unknown[i] = encoded.unknown();
		}
		List<Decoded> decoded = decodeIds(sources, maxLength);
		List<Generation> generations = new ArrayList<>(decoded.size());
		for (int i = 0; i < decoded.size(); i++) {
			Decoded result = decoded.get(i);
			generations.add(new Generation(this.codec.decode(result.ids()), result.ids().length, result.stopReason(),
					result.meanLogProbability(), unknown[i]));
		}
		return generations;
	}

	/**
	 * Decodes sources that are already ids in encoder order (see {@link TextCodec}).
	 * @param sources the encoder inputs
	 * @param maxLength the most symbols to generate per input, at least 1
	 * @return one result per source, in order
	 */
	public List<Decoded> decodeIds(List<long[]> sources, int maxLength) {
		if (maxLength < 1) {
			throw new InvalidFieldException("maxLength", "must be at least 1 (was " + maxLength + ")");
		}
		HostElman host = (sources.size() * multiplyAddsPerStep() <= MOST_HOST_MULTIPLY_ADDS) ? this.model.hostElman()
				: null;
		if (host != null) {
			List<Decoded> decoded = new ArrayList<>(sources.size());
			for (long[] source : sources) {
				decoded.add(host.decode(source, maxLength));
			}
			return decoded;
		}
		Decoded[] results = new Decoded[sources.size()];
		int slices = this.work.slices(sources.size(), MIN_ROWS_PER_SLICE);
		this.work.run(slices, (slice) -> {
			// Slice i decodes rows [n*i/slices, n*(i+1)/slices); the model hands each
			// slice arithmetic it may use alongside the others.
			int from = (int) ((long) sources.size() * slice / slices);
			int to = (int) ((long) sources.size() * (slice + 1) / slices);
			DecoderSteps steps = this.model.decoderSteps();
			try (Autograd noGradients = Autograd.disabled()) {
				for (int start = from; start < to; start += MAX_BATCH) {
					decodeBatch(steps, sources, start, Math.min(to, start + MAX_BATCH), maxLength, results);
				}
			}
			return slice;
		});
		return Arrays.asList(results);
	}

	private long multiplyAddsPerStep() {
		long hidden = this.model.spec().hiddenSize();
		return this.model.spec().layers() * 2 * hidden * hidden + hidden * this.model.vocabulary().size();
	}

	private void decodeBatch(DecoderSteps steps, List<long[]> sources, int from, int to, int maxLength,
			Decoded[] results) {
		try (NDManager batch = this.model.manager().newSubManager()) {
			DecoderSteps.Encoded encoded = steps.encode(batch, sources, IntStream.range(from, to).toArray());
			int[] rows = encoded.order();
			NDList state = encoded.state();
			NDArray tokens = batch.full(new Shape(rows.length), Vocabulary.BEGIN, DataType.INT64);
			Progress progress = new Progress(rows);
			for (int step = 0; step <= maxLength && progress.activeCount() > 0; step++) {
				try (NDManager stepArrays = batch.newSubManager()) {
					tokens.attach(stepArrays);
					state.attach(stepArrays);
					NDList out = steps.step(tokens, state);
					Choices best = mostProbable(out.head());
					boolean last = step == maxLength;
					long[] keep = progress.advance(best.ids(), best.logProbabilities(), last);
					if (progress.activeCount() == 0 || last) {
						break;
					}
					long[] next = best.ids();
					NDList nextState = out.subNDList(1);
					if (keep != null) {
						next = new long[keep.length];
						for (int i = 0; i < keep.length; i++) {
							next[i] = best.ids()[(int) keep[i]];
						}
						nextState = steps.selectRows(nextState, stepArrays.create(keep));
					}
					tokens = batch.create(next);
					state = nextState;
					state.attach(batch);
				}
			}
			progress.collect(results);
		}
	}

	/**
	 * Chooses each input's most probable symbol that may be generated: never padding or
	 * the begin symbol, which an undertrained model can rate highest but which mean
	 * nothing in an output. Its log-probability is over the whole vocabulary; a tie goes
	 * to the lower id.
	 *
	 * <p>
	 * Up to {@value #MOST_SYMBOLS_CHOSEN_ON_HOST} symbols the choice is made on the host
	 * from one copy of the log-probabilities: PyTorch's CPU top-k and arg-max over a few
	 * dozen symbols per input cost more than the step's recurrent product (top-k took a
	 * quarter of decoding on date.txt), while its log-softmax of symbol-major logits,
	 * each input's column normalised, takes a few microseconds. A larger vocabulary is
	 * chosen from on the device, so only two numbers per input cross to the heap.
	 * @param logits the logits, a row per symbol and a column per input {@code (V, B)}
	 */
	private static Choices mostProbable(NDArray logits) {
		int symbols = (int) logits.getShape().get(0);
		int inputs = (int) logits.getShape().get(1);
		// On the step's manager, freed with it.
		NDArray logProbabilities = logits.logSoftmax(0);
		if (symbols > MOST_SYMBOLS_CHOSEN_ON_HOST) {
			NDArray generated = logProbabilities.get(GENERATED_ROWS);
			long[] ids = generated.argMax(0).toLongArray();
			for (int i = 0; i < ids.length; i++) {
				ids[i] += FIRST_GENERATED_ID;
			}
			return new Choices(ids, generated.max(new int[] { 0 }).toFloatArray());
		}
		float[] values = logProbabilities.toFloatArray();
		long[] ids = new long[inputs];
		Arrays.fill(ids, FIRST_GENERATED_ID);
		float[] best = Arrays.copyOfRange(values, FIRST_GENERATED_ID * inputs, (FIRST_GENERATED_ID + 1) * inputs);
		// Symbol by symbol over every input, so the inner loop reads contiguous values.
		// An
		// input whose log-probabilities are NaN ends.
		for (int symbol = FIRST_GENERATED_ID + 1; symbol < symbols; symbol++) {
			int offset = symbol * inputs;
			for (int input = 0; input < inputs; input++) {
				float value = values[offset + input];
				if (value > best[input]) {
					best[input] = value;
					ids[input] = symbol;
				}
			}
		}
		return new Choices(ids, best);
	}

	/** Each input's chosen symbol and its log-probability. */
	private record Choices(long[] ids, float[] logProbabilities) {

	}

	/**
	 * The outcome of decoding one source.
	 *
	 * @param ids the generated ids, without the end symbol
	 * @param stopReason why decoding stopped
	 * @param meanLogProbability the mean log-probability of the chosen ids (the end
	 * symbol included when chosen)
	 */
	public record Decoded(int[] ids, StopReason stopReason, double meanLogProbability) {

	}

	/** Host-side bookkeeping of which rows are still being decoded. */
	private static final class Progress {

		private final int[][] generated;

		private final int[] lengths;

		private final double[] logProbability;

		private final StopReason[] stopped;

		private final int[] resultIndex;

		/**
		 * For each decoder batch row, its position in {@link #resultIndex}, or -1 once
		 * finished.
		 */
		private int[] active;

		private int remaining;

		Progress(int[] rows) {
			int n = rows.length;
			this.generated = new int[n][];
			this.lengths = new int[n];
			this.logProbability = new double[n];
			this.stopped = new StopReason[n];
			this.resultIndex = rows;
			this.active = IntStream.range(0, n).toArray();
			this.remaining = n;
		}

		int activeCount() {
			return this.remaining;
		}

		/**
		 * Records one step. Returns the batch rows to keep once at least half of the
		 * batch has finished, otherwise null: finished rows then run on, unrecorded,
		 * which costs less than gathering the others every step.
		 */
		long[] advance(long[] ids, float[] logProbabilities, boolean last) {
			for (int row = 0; row < ids.length; row++) {
				int slot = this.active[row];
				if (slot < 0) {
					continue;
				}
				int id = (int) ids[row];
				if (id == Vocabulary.END) {
					this.logProbability[slot] += logProbabilities[row];
					finish(row, slot, StopReason.END);
				}
				else if (last) {
					finish(row, slot, StopReason.MAX_LENGTH);
				}
				else {
					this.logProbability[slot] += logProbabilities[row];
					append(slot, id);
				}
			}
			if (this.remaining == 0 || this.remaining > this.active.length / 2) {
				return null;
			}
			long[] keep = new long[this.remaining];
			int[] compacted = new int[this.remaining];
			int count = 0;
			for (int row = 0; row < this.active.length; row++) {
				if (this.active[row] >= 0) {
					keep[count] = row;
					compacted[count++] = this.active[row];
				}
			}
			this.active = compacted;
			return keep;
		}

		private void finish(int row, int slot, StopReason reason) {
			this.stopped[slot] = reason;
			this.active[row] = -1;
			this.remaining--;
		}

		private void append(int slot, int id) {
			int[] ids = this.generated[slot];
			if (ids == null) {
				ids = new int[8];
			}
			else if (this.lengths[slot] == ids.length) {
				ids = Arrays.copyOf(ids, ids.length * 2);
			}
			ids[this.lengths[slot]++] = id;
			this.generated[slot] = ids;
		}

		void collect(Decoded[] results) {
			for (int slot = 0; slot < this.resultIndex.length; slot++) {
				int length = this.lengths[slot];
				int[] ids = (length == 0) ? new int[0] : Arrays.copyOf(this.generated[slot], length);
				StopReason reason = (this.stopped[slot] != null) ? this.stopped[slot] : StopReason.MAX_LENGTH;
				int decisions = length + ((reason == StopReason.END) ? 1 : 0);
				double mean = (decisions > 0) ? this.logProbability[slot] / decisions : 0.0;
				results[this.resultIndex[slot]] = new Decoded(ids, reason, mean);
			}
		}

	}

}
