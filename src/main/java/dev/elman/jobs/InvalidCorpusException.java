package dev.elman.jobs;

/**
 * A corpus that cannot be trained on: empty, malformed (the message names the line or
 * pair), or beyond a limit.
 */
public class InvalidCorpusException extends RuntimeException {

	private final String field;

	InvalidCorpusException(String field, String message) {
		super(message);
		this.field = field;
	}

	/**
	 * Returns the request field at fault.
	 * @return for example {@code pairs}, {@code text} or {@code corpus}
	 */
	public String getField() {
		return this.field;
	}

}
