package dev.elman.model;

/**
 * A model or training setting outside its allowed range; the message names the field so a
 * caller can fix it.
 */
public class InvalidSettingException extends IllegalArgumentException {

	private final String field;

	/**
	 * Creates the exception.
	 * @param field the setting's name as users write it (for example {@code hiddenSize})
	 * @param problem what is wrong, to follow the field name
	 */
	public InvalidSettingException(String field, String problem) {
		super(field + " " + problem);
		this.field = field;
	}

	/**
	 * Returns the setting that is wrong.
	 * @return the field name
	 */
	public String getField() {
		return this.field;
	}

	/**
	 * Checks that an integer setting lies in {@code [min, max]}.
	 * @param field the setting's name
	 * @param value its value
	 * @param min the smallest allowed value
	 * @param max the largest allowed value
	 * @return the value
	 */
	public static int requireInRange(String field, int value, int min, int max) {
		if (value < min || value > max) {
			throw new InvalidSettingException(field, "must be between " + min + " and " + max + " (was " + value + ")");
		}
		return value;
	}

	/**
	 * Checks that a decimal setting lies in {@code [min, max]} and is a number.
	 * @param field the setting's name
	 * @param value its value
	 * @param min the smallest allowed value
	 * @param max the largest allowed value
	 * @return the value
	 */
	public static double requireInRange(String field, double value, double min, double max) {
		if (!(value >= min && value <= max)) {
			throw new InvalidSettingException(field, "must be between " + min + " and " + max + " (was " + value + ")");
		}
		return value;
	}

}
