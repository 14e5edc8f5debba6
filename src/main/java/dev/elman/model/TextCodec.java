package dev.elman.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns text into the ids a model reads and ids back into text, the same way in training
 * and in serving (tokenization, vocabulary, source reversal).
 */
public final class TextCodec {

	private final ModelSpec spec;

	private final Vocabulary vocabulary;

	/**
	 * Creates a codec.
	 * @param spec the architecture (tokenization and source order)
	 * @param vocabulary the symbols
	 */
	public TextCodec(ModelSpec spec, Vocabulary vocabulary) {
		this.spec = spec;
		this.vocabulary = vocabulary;
	}

	/**
	 * Encodes an encoder input, reversed if the model reads its source backwards.
	 * @param text the source text
	 * @return the ids and the count of unknown symbols
	 */
	public Vocabulary.Encoded encodeSource(String text) {
		Vocabulary.Encoded encoded = this.vocabulary.encode(this.spec.tokenization().split(text));
		if (this.spec.reverseSource()) {
			long[] ids = encoded.ids();
			for (int i = 0, j = ids.length - 1; i < j; i++, j--) {
				long swap = ids[i];
				ids[i] = ids[j];
				ids[j] = swap;
			}
		}
		return encoded;
	}

	/**
	 * Encodes a target, without the begin and end symbols.
	 * @param text the target text
	 * @return the ids and the count of unknown symbols
	 */
	public Vocabulary.Encoded encodeTarget(String text) {
		return this.vocabulary.encode(this.spec.tokenization().split(text));
	}

	/**
	 * Renders generated ids as text.
	 * @param ids the ids, without the end symbol
	 * @return the text
	 */
	public String decode(int[] ids) {
		List<String> symbols = new ArrayList<>(ids.length);
		for (int id : ids) {
			symbols.add(this.vocabulary.text(id));
		}
		return this.spec.tokenization().join(symbols);
	}

}
