package dev.elman.registry;

/**
 * A model or alias name that cannot be used.
 */
public class InvalidNameException extends IllegalArgumentException {

	private final String field;

	InvalidNameException(String field, String message) {
		super(message);
		this.field = field;
	}

	/**
	 * Returns which name was wrong.
	 * @return {@code model} or {@code alias}
	 */
	public String getField() {
		return this.field;
	}

}
