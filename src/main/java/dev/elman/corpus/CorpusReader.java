package dev.elman.corpus;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

import dev.elman.http.InvalidFieldException;
import dev.elman.http.UnicodeText;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a corpus of one pair per line. Blank lines are skipped; a line that is not a
 * pair, or whose source or target is empty, stops the reading with its line number.
 *
 * <p>
 * Text is kept exactly as written, except in the {@link CorpusFormat#DELIMITED delimited}
 * format, where leading and trailing whitespace around each side is fixed-width padding
 * and is removed unless {@code keepPadding} is set. A trailing carriage return and a
 * leading byte order mark are removed in every format.
 */
public final class CorpusReader {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final CorpusFormat format;

	private final String delimiter;

	private final boolean keepPadding;

	private final long maxPairs;

	private final int maxLineLength;

	private CorpusReader(CorpusFormat format, String delimiter, boolean keepPadding, long maxPairs, int maxLineLength) {
		this.format = format;
		this.delimiter = delimiter;
		this.keepPadding = keepPadding;
		this.maxPairs = maxPairs;
		this.maxLineLength = maxLineLength;
	}

	/**
	 * Returns a reader for {@code source<TAB>target} lines.
	 * @return the reader
	 */
	public static CorpusReader tsv() {
		return new CorpusReader(CorpusFormat.TSV, "\t", true, Long.MAX_VALUE, Integer.MAX_VALUE);
	}

	/**
	 * Returns a reader for JSON lines.
	 * @return the reader
	 */
	public static CorpusReader jsonLines() {
		return new CorpusReader(CorpusFormat.JSONL, null, true, Long.MAX_VALUE, Integer.MAX_VALUE);
	}

	/**
	 * Returns a reader that splits lines at the first occurrence of a delimiter.
	 * @param delimiter the delimiter, not empty
	 * @param keepPadding whether to keep whitespace around each side
	 * @return the reader
	 */
	public static CorpusReader delimited(String delimiter, boolean keepPadding) {
		if (delimiter == null || delimiter.isEmpty() || delimiter.contains("\n") || delimiter.contains("\r")) {
			throw new InvalidFieldException("delimiter", "must be a non-empty string without line breaks");
		}
		return new CorpusReader(CorpusFormat.DELIMITED, delimiter, keepPadding, Long.MAX_VALUE, Integer.MAX_VALUE);
	}

	/**
	 * Returns a reader for a format with its defaults (the book's {@code _} for
	 * delimited).
	 * @param format the format
	 * @param delimiter the delimiter for the delimited format, or null for {@code _}
	 * @param keepPadding whether the delimited format keeps its padding
	 * @return the reader
	 */
	public static CorpusReader of(CorpusFormat format, String delimiter, boolean keepPadding) {
		return switch (format) {
			case TSV -> tsv();
			case JSONL -> jsonLines();
			case DELIMITED -> delimited((delimiter != null) ? delimiter : "_", keepPadding);
		};
	}

	/**
	 * Returns a reader that stops with an error after {@code maxPairs} pairs.
	 * @param limit the most pairs to accept
	 * @return the reader
	 */
	public CorpusReader withMaxPairs(long limit) {
		return new CorpusReader(this.format, this.delimiter, this.keepPadding, limit, this.maxLineLength);
	}

	/**
	 * Returns a reader that stops with an error at a line longer than {@code limit}
	 * characters, before holding more of it in memory.
	 * @param limit the most characters in a line
	 * @return the reader
	 */
	public CorpusReader withMaxLineLength(int limit) {
		return new CorpusReader(this.format, this.delimiter, this.keepPadding, this.maxPairs, limit);
	}

	/**
	 * Reads every pair.
	 * @param reader the text; not closed
	 * @return the pairs in file order
	 * @throws IOException if reading fails
	 * @throws CorpusFormatException at the first line that is not a pair
	 */
	public List<TextPair> read(Reader reader) throws IOException, CorpusFormatException {
		List<TextPair> pairs = new ArrayList<>();
		BoundedLineReader lines = new BoundedLineReader(reader, this.maxLineLength);
		long lineNumber = 0;
		String line;
		while ((line = next(lines, lineNumber + 1)) != null) {
			lineNumber++;
			if (lineNumber == 1 && line.startsWith("\uFEFF")) {
				line = line.substring(1);
			}
			if (line.isBlank()) {
				continue;
			}
			if (pairs.size() >= this.maxPairs) {
				throw new CorpusFormatException(lineNumber, "the corpus has more than " + this.maxPairs + " pairs");
			}
			TextPair pair = parse(line, lineNumber);
			if (pair.source().isEmpty()) {
				throw new CorpusFormatException(lineNumber, "the source is empty");
			}
			if (pair.target().isEmpty()) {
				throw new CorpusFormatException(lineNumber, "the target is empty");
			}
			pairs.add(pair);
		}
		return pairs;
	}

	private static String next(BoundedLineReader lines, long lineNumber) throws IOException, CorpusFormatException {
		try {
			return lines.readLine();
		}
		catch (BoundedLineReader.LineTooLongException ex) {
			throw new CorpusFormatException(lineNumber, ex.getMessage());
		}
	}

	private TextPair parse(String line, long lineNumber) throws CorpusFormatException {
		return switch (this.format) {
			case TSV -> parseTsv(line, lineNumber);
			case JSONL -> parseJson(line, lineNumber);
			case DELIMITED -> parseDelimited(line, lineNumber);
		};
	}

	private static TextPair parseTsv(String line, long lineNumber) throws CorpusFormatException {
		int tab = line.indexOf('\t');
		if (tab < 0) {
			throw new CorpusFormatException(lineNumber, "expected source<TAB>target but found no tab"
					+ otherFormatHint(line, "_", "give format 'delimited' for lines split at '_'"));
		}
		if (line.indexOf('\t', tab + 1) >= 0) {
			throw new CorpusFormatException(lineNumber, "expected source<TAB>target but found more than one tab");
		}
		return new TextPair(line.substring(0, tab), line.substring(tab + 1));
	}

	/** Points to the format a line that fails this one seems to be written in. */
	private static String otherFormatHint(String line, String mark, String hint) {
		if (line.stripLeading().startsWith("{")) {
			return "; the line looks like JSON: give format 'jsonl' for {\"source\": ..., \"target\": ...} lines";
		}
		return line.contains(mark) ? "; " + hint : "";
	}

	private static TextPair parseJson(String line, long lineNumber) throws CorpusFormatException {
		JsonNode node;
		try {
			node = JSON.readTree(line);
		}
		catch (JacksonException ex) {
			String hint = line.contains("\t") ? "; give format 'tsv' for source<TAB>target lines"
					: line.contains("_") ? "; give format 'delimited' for lines split at '_'" : "";
			throw new CorpusFormatException(lineNumber, "not valid JSON (" + ex.getOriginalMessage() + ")" + hint);
		}
		if (node == null || !node.isObject()) {
			throw new CorpusFormatException(lineNumber, "expected a JSON object with \"source\" and \"target\"");
		}
		return new TextPair(text(node, "source", lineNumber), text(node, "target", lineNumber));
	}

	/** JSON may write a lone surrogate as an escape; no model can hold one. */
	private static String wellFormed(String text, String field, long lineNumber) throws CorpusFormatException {
		if (!UnicodeText.isWellFormed(text)) {
			throw new CorpusFormatException(lineNumber,
					"\"" + field + "\" is not valid Unicode text (it holds a lone surrogate)");
		}
		return text;
	}

	private static String text(JsonNode node, String field, long lineNumber) throws CorpusFormatException {
		JsonNode value = node.get(field);
		if (value == null || !value.isString()) {
			throw new CorpusFormatException(lineNumber, "\"" + field + "\" must be a string");
		}
		return wellFormed(value.stringValue(), field, lineNumber);
	}

	private TextPair parseDelimited(String line, long lineNumber) throws CorpusFormatException {
		int at = line.indexOf(this.delimiter);
		if (at < 0) {
			throw new CorpusFormatException(lineNumber, "the delimiter '" + this.delimiter + "' does not occur"
					+ otherFormatHint(line, "\t", "give format 'tsv' for source<TAB>target lines"));
		}
		String source = line.substring(0, at);
		String target = line.substring(at + this.delimiter.length());
		if (!this.keepPadding) {
			source = source.strip();
			target = target.strip();
		}
		return new TextPair(source, target);
	}

}
