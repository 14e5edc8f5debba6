package dev.elman.model;

import ai.djl.nn.recurrent.RNN;
import ai.djl.nn.recurrent.RecurrentBlock;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.elman.http.InvalidFieldException;

/**
 * The recurrent cell of encoder and decoder. {@code rnn-tanh} is the Elman network
 * {@code h_t = tanh(W_x x_t + W_h h_{t-1} + b)}; the gated cells are there to compare
 * with.
 */
public enum Cell implements NamedOption {

	/** The Elman network with tanh, the default. */
	RNN_TANH("rnn-tanh"),

	/** The Elman network with ReLU. */
	RNN_RELU("rnn-relu"),

	/** A gated recurrent unit, for comparison. */
	GRU("gru"),

	/** A long short-term memory cell, for comparison; its state is a pair (h, c). */
	LSTM("lstm");

	private final String id;

	Cell(String id) {
		this.id = id;
	}

	/**
	 * Returns the name users write.
	 * @return for example {@code rnn-tanh}
	 */
	@Override
	@JsonValue
	public String id() {
		return this.id;
	}

	/**
	 * Finds a cell by the name users write.
	 * @param id the name
	 * @return the cell
	 * @throws InvalidFieldException naming the allowed values
	 */
	@JsonCreator
	public static Cell fromId(String id) {
		return NamedOption.parse(Cell.class, "cell", id);
	}

	/**
	 * Returns the number of state tensors this cell carries: 2 for LSTM (h and c), else
	 * 1.
	 * @return the state arity
	 */
	public int stateArity() {
		return (this == LSTM) ? 2 : 1;
	}

	/**
	 * Returns how many gates each layer computes, each with its own weights: 1 for the
	 * plain RNNs, 3 for GRU, 4 for LSTM.
	 * @return the gate count
	 */
	public int gates() {
		return switch (this) {
			case RNN_TANH, RNN_RELU -> 1;
			case GRU -> 3;
			case LSTM -> 4;
		};
	}

	RecurrentBlock newBlock(int hiddenSize, int layers) {
		return switch (this) {
			case RNN_TANH -> RNN.builder()
				.setStateSize(hiddenSize)
				.setNumLayers(layers)
				.setActivation(RNN.Activation.TANH)
				.optBatchFirst(false)
				.optReturnState(true)
				.build();
			case RNN_RELU -> RNN.builder()
				.setStateSize(hiddenSize)
				.setNumLayers(layers)
				.setActivation(RNN.Activation.RELU)
				.optBatchFirst(false)
				.optReturnState(true)
				.build();
			case GRU -> ai.djl.nn.recurrent.GRU.builder()
				.setStateSize(hiddenSize)
				.setNumLayers(layers)
				.optBatchFirst(false)
				.optReturnState(true)
				.build();
			case LSTM -> ai.djl.nn.recurrent.LSTM.builder()
				.setStateSize(hiddenSize)
				.setNumLayers(layers)
				.optBatchFirst(false)
				.optReturnState(true)
				.build();
		};
	}

}
