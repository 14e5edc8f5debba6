package dev.elman.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The symbols a model knows, with four reserved ids in front: padding, begin, end and
 * unknown.
 *
 * <p>
 * Reserved symbols live outside the symbol map, so a corpus word that happens to read
 * {@code <eos>} is an ordinary symbol and can never end a sequence. Instances are
 * immutable and thread-safe.
 */
public final class Vocabulary {

	/** Pads short sequences in a batch; never predicted, masked out of the loss. */
	public static final int PAD = 0;

	/** The decoder's first input. */
	public static final int BEGIN = 1;

	/** Ends every target; decoding stops when it is predicted. */
	public static final int END = 2;

	/** Stands for any symbol the vocabulary does not have. */
	public static final int UNKNOWN = 3;

	/** Number of reserved ids. */
	public static final int RESERVED = 4;

	/**
	 * What an unknown symbol becomes in generated text: U+FFFD, the replacement
	 * character.
	 */
	public static final String UNKNOWN_TEXT = "\uFFFD";

	private final List<String> symbols;

	private final Map<String, Integer> ids;

	private Vocabulary(List<String> symbols) {
		this.symbols = List.copyOf(symbols);
		Map<String, Integer> map = new HashMap<>(symbols.size() * 2);
		for (int i = 0; i < symbols.size(); i++) {
			if (map.putIfAbsent(symbols.get(i), RESERVED + i) != null) {
				throw new IllegalArgumentException("Symbol '" + symbols.get(i) + "' appears twice in the vocabulary");
			}
		}
		this.ids = map;
	}

	/**
	 * Restores a vocabulary from its saved symbol list.
	 * @param symbols the symbols in id order, without the reserved ones
	 * @return the vocabulary
	 */
	public static Vocabulary of(List<String> symbols) {
		return new Vocabulary(symbols);
	}

	/**
	 * Builds a vocabulary from symbol sequences. Symbols keep the order in which they
	 * first appear (as the book does), so the same corpus always gives the same ids.
	 * @param sequences the symbol sequences
	 * @param maxSize the largest size including the reserved ids, 0 for no limit; beyond
	 * it the rarest symbols are left out and become unknown
	 * @return the vocabulary
	 */
	public static Vocabulary build(Iterable<? extends List<String>> sequences, int maxSize) {
		Map<String, long[]> counts = new LinkedHashMap<>();
		for (List<String> sequence : sequences) {
			for (String symbol : sequence) {
				counts.computeIfAbsent(symbol, (key) -> new long[1])[0]++;
			}
		}
		List<String> symbols = new ArrayList<>(counts.keySet());
		if (maxSize > 0 && symbols.size() > maxSize - RESERVED) {
			List<String> byFrequency = new ArrayList<>(symbols);
			// Stable sort: equally frequent symbols keep their first-appearance order.
			byFrequency.sort((a, b) -> Long.compare(counts.get(b)[0], counts.get(a)[0]));
			List<String> kept = byFrequency.subList(0, Math.max(0, maxSize - RESERVED));
			symbols.retainAll(new HashSet<>(kept));
		}
		return new Vocabulary(symbols);
	}

	/**
	 * Returns the number of ids, reserved ones included.
	 * @return the size
	 */
	public int size() {
		return RESERVED + this.symbols.size();
	}

	/**
	 * Returns the symbols in id order, without the reserved ones.
	 * @return an unmodifiable list
	 */
	public List<String> symbols() {
		return Collections.unmodifiableList(this.symbols);
	}

	/**
	 * Returns the id of a symbol.
	 * @param symbol the symbol
	 * @return its id, or {@link #UNKNOWN}
	 */
	public int id(String symbol) {
		Integer id = this.ids.get(symbol);
		return (id != null) ? id : UNKNOWN;
	}

	/**
	 * Returns whether the symbol has an id of its own.
	 * @param symbol the symbol
	 * @return true if known
	 */
	public boolean contains(String symbol) {
		return this.ids.containsKey(symbol);
	}

	/**
	 * Returns the text of an id in generated output: the symbol, {@link #UNKNOWN_TEXT}
	 * for the unknown id, and nothing for the other reserved ids.
	 * @param id the id
	 * @return the text
	 */
	public String text(int id) {
		if (id >= RESERVED && id < size()) {
			return this.symbols.get(id - RESERVED);
		}
		return (id == UNKNOWN) ? UNKNOWN_TEXT : "";
	}

	/**
	 * Maps symbols to ids.
	 * @param symbols the symbols
	 * @return the ids and how many symbols were unknown
	 */
	public Encoded encode(List<String> symbols) {
		long[] out = new long[symbols.size()];
		int unknown = 0;
		for (int i = 0; i < out.length; i++) {
			int id = id(symbols.get(i));
			if (id == UNKNOWN) {
				unknown++;
			}
			out[i] = id;
		}
		return new Encoded(out, unknown);
	}

	/**
	 * Symbol ids with the count of symbols that were not in the vocabulary.
	 *
	 * @param ids the ids
	 * @param unknown how many became {@link #UNKNOWN}
	 */
	public record Encoded(long[] ids, int unknown) {

	}

}
