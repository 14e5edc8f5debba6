package dev.elman.model;

import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.ParameterStore;

/**
 * Decoding through the network's own blocks: every cell, every layout. States are
 * {@code (layers, B, hidden)}.
 */
final class NetworkSteps implements DecoderSteps {

	private final Seq2SeqNetwork network;

	private final ParameterStore parameters;

	/**
	 * @param network the network
	 * @param parameters a parameter store of the calling thread's own
	 */
	NetworkSteps(Seq2SeqNetwork network, ParameterStore parameters) {
		this.network = network;
		this.parameters = parameters;
	}

	@Override
	public Encoded encode(NDManager batch, List<long[]> sources, int[] rows) {
		SourceBatch grouped = SourceBatch.of(batch, sources, rows);
		return new Encoded(grouped.order(), this.network.encode(this.parameters, grouped, 0, false));
	}

	@Override
	public NDList step(NDArray tokens, NDList state) {
		NDList out = this.network.step(this.parameters, tokens.reshape(1, -1), state);
		NDList result = new NDList(out.size());
		result.add(out.head().reshape(tokens.getShape().get(0), -1).transpose());
		result.addAll(out.subNDList(1));
		return result;
	}

	@Override
	public NDList selectRows(NDList state, NDArray rows) {
		NDList selected = new NDList(state.size());
		for (NDArray array : state) {
			selected.add(array.get(new NDIndex(":, {}", rows)));
		}
		return selected;
	}

}
