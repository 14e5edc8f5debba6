package dev.elman.corpus;

/**
 * A corpus line that cannot be read as a pair; the message starts with its line number.
 */
public class CorpusFormatException extends Exception {

	private final long lineNumber;

	CorpusFormatException(long lineNumber, String problem) {
		super("line " + lineNumber + ": " + problem);
		this.lineNumber = lineNumber;
	}

	/**
	 * Returns the line that is wrong, counting from 1.
	 * @return the line number
	 */
	public long getLineNumber() {
		return this.lineNumber;
	}

}
