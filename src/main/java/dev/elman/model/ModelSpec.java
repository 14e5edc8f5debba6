package dev.elman.model;

import java.util.Objects;

import dev.elman.http.InvalidFieldException;

/**
 * The architecture of a model: everything needed to rebuild its network, so it is saved
 * with the parameters.
 *
 * @param tokenization how text becomes symbols
 * @param embeddingSize width of the symbol embeddings
 * @param hiddenSize width of the recurrent state
 * @param layers stacked recurrent layers, each with its own weights
 * @param cell the recurrent cell
 * @param weightSharing whether encoder and decoder share their embedding and recurrent
 * weights
 * @param reverseSource whether the source is fed to the encoder backwards (the book's
 * trick: the first source symbols end up nearest to the first target symbols)
 */
public record ModelSpec(Tokenization tokenization, int embeddingSize, int hiddenSize, int layers, Cell cell,
		WeightSharing weightSharing, boolean reverseSource) {

	/** Largest embedding size accepted. */
	public static final int MAX_EMBEDDING_SIZE = 4096;

	/** Largest hidden size accepted. */
	public static final int MAX_HIDDEN_SIZE = 8192;

	/** Most stacked layers accepted. */
	public static final int MAX_LAYERS = 16;

	/**
	 * Validates every field, naming the first one that is wrong.
	 */
	public ModelSpec {
		requireSet("tokenization", tokenization);
		requireSet("cell", cell);
		requireSet("weightSharing", weightSharing);
		InvalidFieldException.requireInRange("embeddingSize", embeddingSize, 1, MAX_EMBEDDING_SIZE);
		InvalidFieldException.requireInRange("hiddenSize", hiddenSize, 1, MAX_HIDDEN_SIZE);
		InvalidFieldException.requireInRange("layers", layers, 1, MAX_LAYERS);
	}

	private static void requireSet(String field, Object value) {
		if (value == null) {
			throw new InvalidFieldException(field, "must be set");
		}
	}

	/**
	 * Returns the book's setup: characters, embedding 16, hidden 128, one
	 * {@code rnn-tanh} layer, separate weights, source in order.
	 * @return the default architecture
	 */
	public static ModelSpec defaults() {
		return new ModelSpec(Tokenization.CHARACTER, 16, 128, 1, Cell.RNN_TANH, WeightSharing.SEPARATE, false);
	}

	/**
	 * Returns a copy with another tokenization.
	 * @param value the tokenization
	 * @return the copy
	 */
	public ModelSpec withTokenization(Tokenization value) {
		return new ModelSpec(value, this.embeddingSize, this.hiddenSize, this.layers, this.cell, this.weightSharing,
				this.reverseSource);
	}

	/**
	 * Returns a copy with another embedding size.
	 * @param value the embedding size
	 * @return the copy
	 */
	public ModelSpec withEmbeddingSize(int value) {
		return new ModelSpec(this.tokenization, value, this.hiddenSize, this.layers, this.cell, this.weightSharing,
				this.reverseSource);
	}

	/**
	 * Returns a copy with another hidden size.
	 * @param value the hidden size
	 * @return the copy
	 */
	public ModelSpec withHiddenSize(int value) {
		return new ModelSpec(this.tokenization, this.embeddingSize, value, this.layers, this.cell, this.weightSharing,
				this.reverseSource);
	}

	/**
	 * Returns a copy with another number of layers.
	 * @param value the number of layers
	 * @return the copy
	 */
	public ModelSpec withLayers(int value) {
		return new ModelSpec(this.tokenization, this.embeddingSize, this.hiddenSize, value, this.cell,
				this.weightSharing, this.reverseSource);
	}

	/**
	 * Returns a copy with another cell.
	 * @param value the cell
	 * @return the copy
	 */
	public ModelSpec withCell(Cell value) {
		return new ModelSpec(this.tokenization, this.embeddingSize, this.hiddenSize, this.layers, value,
				this.weightSharing, this.reverseSource);
	}

	/**
	 * Returns a copy with another weight sharing mode.
	 * @param value the mode
	 * @return the copy
	 */
	public ModelSpec withWeightSharing(WeightSharing value) {
		return new ModelSpec(this.tokenization, this.embeddingSize, this.hiddenSize, this.layers, this.cell, value,
				this.reverseSource);
	}

	/**
	 * Returns a copy that does or does not reverse the source.
	 * @param value whether to reverse
	 * @return the copy
	 */
	public ModelSpec withReverseSource(boolean value) {
		return new ModelSpec(this.tokenization, this.embeddingSize, this.hiddenSize, this.layers, this.cell,
				this.weightSharing, value);
	}

	/**
	 * Returns how many parameters a network of this architecture has, before it is built:
	 * each layer's input and recurrent weights and its two biases per gate, the
	 * embedding, all twice when encoder and decoder are separate, and the output layer.
	 * @param vocabularySize the vocabulary size, reserved symbols included
	 * @return the parameter count
	 */
	public long parameterCount(int vocabularySize) {
		long gates = this.cell.gates();
		long hidden = this.hiddenSize;
		long recurrent = 0;
		for (int layer = 0; layer < this.layers; layer++) {
			long input = (layer == 0) ? this.embeddingSize : hidden;
			recurrent += gates * hidden * (input + hidden) + 2 * gates * hidden;
		}
		long embedding = (long) vocabularySize * this.embeddingSize;
		return (tied() ? 1 : 2) * (embedding + recurrent) + hidden * vocabularySize + vocabularySize;
	}

	boolean tied() {
		return Objects.equals(this.weightSharing, WeightSharing.TIED);
	}

}
