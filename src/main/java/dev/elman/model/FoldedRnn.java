package dev.elman.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;

/**
 * One RNN of an {@code rnn-tanh} network folded into sigmoid space (see
 * {@link SigmoidSpaceElman}): its first layer's input table and every layer's matrices.
 *
 * @param table {@code T = 2 (E W_x^T + b_x + b_h - W_h 1)}, a row per symbol
 * @param layers each layer's folded matrices
 */
record FoldedRnn(NDArray table, List<FoldedRnn.Layer> layers) {

	static FoldedRnn fold(Block embedding, Block rnn, int layerCount, NDManager scratch, NDManager manager) {
		ParameterList parameters = rnn.getDirectParameters();
		NDArray symbols = copy(embedding.getDirectParameters(), "weight", scratch);
		NDArray table = null;
		List<Layer> layers = new ArrayList<>(layerCount);
		for (int layer = 0; layer < layerCount; layer++) {
			NDArray inputWeight = copy(parameters, "l_" + layer + "_i2h_WEIGHT", scratch);
			NDArray recurrentWeight = copy(parameters, "l_" + layer + "_h2h_WEIGHT", scratch);
			NDArray bias = copy(parameters, "l_" + layer + "_i2h_BIAS", scratch)
				.add(copy(parameters, "l_" + layer + "_h2h_BIAS", scratch))
				.sub(recurrentWeight.sum(new int[] { 1 }));
			NDArray recurrent = keep(recurrentWeight.mul(4), manager);
			if (layer == 0) {
				table = keep(symbols.matMul(inputWeight.transpose()).add(bias).mul(2), manager);
				layers.add(new Layer(null, null, recurrent));
			}
			else {
				layers.add(new Layer(keep(inputWeight.mul(4), manager),
						keep(bias.sub(inputWeight.sum(new int[] { 1 })).mul(2), manager), recurrent));
			}
		}
		return new FoldedRnn(table, List.copyOf(layers));
	}

	/** How many values these weights hold. */
	long size() {
		long size = this.table.size();
		for (Layer layer : this.layers) {
			size += layer.recurrent.size() + ((layer.input != null) ? layer.input.size() + layer.constant.size() : 0);
		}
		return size;
	}

	/** A copy on the heap, each product laid out as {@code (H_in, H)} row-major. */
	HostElman.Rnn onHost() {
		HostElman.Layer[] copies = new HostElman.Layer[this.layers.size()];
		for (int i = 0; i < copies.length; i++) {
			Layer layer = this.layers.get(i);
			float[][] input = null;
			if (layer.input != null) {
				try (NDArray transposed = layer.input.transpose()) {
					input = rows(transposed);
				}
			}
			try (NDArray recurrentTransposed = layer.recurrent.transpose()) {
				copies[i] = new HostElman.Layer(input, (layer.constant != null) ? layer.constant.toFloatArray() : null,
						rows(recurrentTransposed));
			}
		}
		return new HostElman.Rnn(rows(this.table), copies);
	}

	/**
	 * One step of every layer.
	 * @param firstInput the first layer's input term {@code T[x_t]}, {@code (B, H)}
	 * @param state one sigmoid state per layer, {@code (B, H)} each
	 * @return the new state
	 */
	NDList advance(NDArray firstInput, NDList state) {
		NDList next = new NDList(state.size());
		NDArray below = null;
		for (int i = 0; i < this.layers.size(); i++) {
			Layer layer = this.layers.get(i);
			NDArray input = (i == 0) ? firstInput
					: below.getNDArrayInternal().linear(below, layer.input, layer.constant).head();
			// One call for the product and the input term: linear(a, W, b) = a W^T + b.
			NDArray previous = state.get(i);
			NDArray s = previous.getNDArrayInternal()
				.linear(previous, layer.recurrent, input)
				.head()
				.getNDArrayInternal()
				.sigmoid();
			next.add(s);
			below = s;
		}
		return next;
	}

	/** A copy of a parameter, living in {@code scratch}. */
	static NDArray copy(ParameterList parameters, String name, NDManager scratch) {
		Parameter parameter = parameters.get(name);
		if (parameter == null) {
			throw new IllegalStateException("No parameter " + name + " among " + parameters.keys());
		}
		NDArray copy = parameter.getArray().duplicate();
		copy.attach(scratch);
		return copy;
	}

	/** A matrix's rows as heap arrays (a transposed view is read in its own order). */
	static float[][] rows(NDArray matrix) {
		int columns = (int) matrix.getShape().get(1);
		float[] values = matrix.toFloatArray();
		float[][] rows = new float[values.length / columns][];
		for (int i = 0; i < rows.length; i++) {
			rows[i] = Arrays.copyOfRange(values, i * columns, (i + 1) * columns);
		}
		return rows;
	}

	static NDArray keep(NDArray array, NDManager manager) {
		array.attach(manager);
		return array;
	}

	/**
	 * One layer's folded matrices: {@code input} {@code 4 W_x} and {@code constant} (null
	 * in the first layer, whose input term is the table), and {@code recurrent}
	 * {@code 4 W_h}.
	 *
	 * @param input {@code 4 W_x}, null in the first layer
	 * @param constant {@code 2 (b_x + b_h - W_x 1 - W_h 1)}, null in the first layer
	 * @param recurrent {@code 4 W_h}
	 */
	record Layer(NDArray input, NDArray constant, NDArray recurrent) {

	}

}
