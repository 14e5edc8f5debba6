package dev.elman.model;

import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * The arithmetic greedy decoding runs: encode a batch, then advance the decoder one
 * symbol at a time. {@link GreedyDecoder} owns the loop and the bookkeeping; this says
 * how the numbers are computed, so a faster formulation can stand in for the general one
 * where the cell allows.
 */
interface DecoderSteps {

	/**
	 * Encodes the given rows of {@code sources}.
	 * @param batch where the arrays go
	 * @param sources encoder inputs as ids
	 * @param rows the indices into {@code sources} that make up the batch
	 * @return the rows in the order of the state's batch axis, and the state
	 */
	Encoded encode(NDManager batch, List<long[]> sources, int[] rows);

	/**
	 * Advances the decoder by one symbol.
	 * @param tokens the previous symbols {@code (B)}
	 * @param state the state {@link #encode} or the previous step returned
	 * @return the logits, one row per symbol {@code (V, B)}, followed by the new state
	 */
	NDList step(NDArray tokens, NDList state);

	/**
	 * Keeps some rows of a state.
	 * @param state the state
	 * @param rows the batch rows to keep, int64
	 * @return the smaller state
	 */
	NDList selectRows(NDList state, NDArray rows);

	/**
	 * An encoded batch.
	 *
	 * @param order the source indices in the order of the state's rows
	 * @param state the decoder's initial state
	 */
	record Encoded(int[] order, NDList state) {

	}

}
