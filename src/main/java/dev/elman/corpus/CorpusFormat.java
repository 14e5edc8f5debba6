package dev.elman.corpus;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.elman.http.InvalidFieldException;
import dev.elman.model.NamedOption;

/**
 * How a corpus file lays out its pairs, one pair per line.
 */
public enum CorpusFormat implements NamedOption {

	/** {@code source<TAB>target}, exactly one tab per line, text kept as it is. */
	TSV("tsv"),

	/** {@code {"source": "...", "target": "..."}} per line; other fields are ignored. */
	JSONL("jsonl"),

	/**
	 * Split at the first occurrence of a delimiter, as in the book's fixed-width files
	 * ({@code 16+75  _91  }); padding spaces are removed unless asked to be kept.
	 */
	DELIMITED("delimited");

	private final String id;

	CorpusFormat(String id) {
		this.id = id;
	}

	/**
	 * Returns the name users write.
	 * @return {@code tsv}, {@code jsonl} or {@code delimited}
	 */
	@Override
	@JsonValue
	public String id() {
		return this.id;
	}

	/**
	 * Finds a format by the name users write.
	 * @param id the name
	 * @return the format
	 * @throws InvalidFieldException naming the allowed values
	 */
	@JsonCreator
	public static CorpusFormat fromId(String id) {
		return NamedOption.parse(CorpusFormat.class, "format", id);
	}

}
