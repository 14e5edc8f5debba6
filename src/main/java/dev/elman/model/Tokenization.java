package dev.elman.model;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.elman.http.InvalidFieldException;

/**
 * How text becomes symbols.
 */
public enum Tokenization implements NamedOption {

	/**
	 * One symbol per Unicode code point (not per UTF-16 unit, so an emoji is one symbol).
	 * Spaces are symbols too.
	 */
	CHARACTER("char") {
		@Override
		public List<String> split(String text) {
			List<String> symbols = new ArrayList<>(text.length());
			text.codePoints().forEach((codePoint) -> symbols.add(Character.toString(codePoint)));
			return symbols;
		}

		@Override
		public String join(List<String> symbols) {
			return String.join("", symbols);
		}
	},

	/** Words separated by whitespace; output words are joined by one space. */
	WORD("word") {
		@Override
		public List<String> split(String text) {
			String trimmed = text.strip();
			return trimmed.isEmpty() ? List.of() : List.of(trimmed.split("\\s+"));
		}

		@Override
		public String join(List<String> symbols) {
			return String.join(" ", symbols);
		}
	};

	private final String id;

	Tokenization(String id) {
		this.id = id;
	}

	/**
	 * Splits text into symbols.
	 * @param text the text
	 * @return its symbols, in order
	 */
	public abstract List<String> split(String text);

	/**
	 * Joins symbols back into text.
	 * @param symbols the symbols
	 * @return the text
	 */
	public abstract String join(List<String> symbols);

	/**
	 * Returns the name users write.
	 * @return {@code char} or {@code word}
	 */
	@Override
	@JsonValue
	public String id() {
		return this.id;
	}

	/**
	 * Finds a tokenization by the name users write.
	 * @param id the name
	 * @return the tokenization
	 * @throws InvalidFieldException naming the allowed values
	 */
	@JsonCreator
	public static Tokenization fromId(String id) {
		return NamedOption.parse(Tokenization.class, "tokenization", id);
	}

}
