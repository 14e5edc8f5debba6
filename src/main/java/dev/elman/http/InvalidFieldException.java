package dev.elman.http;

import java.util.Map;

import org.springframework.http.HttpStatus;

/**
 * A request field, setting or parameter with a value that cannot be used: answered 400
 * with the field named under {@code errors}, so a caller knows what to fix.
 */
public class InvalidFieldException extends ServiceProblem {

	private final String field;

	/**
	 * Creates the exception.
	 * @param field the field's name as the caller wrote it (for example
	 * {@code hiddenSize})
	 * @param problem what is wrong, to follow the field name
	 */
	public InvalidFieldException(String field, String problem) {
		this(field, new Detail(field + " " + problem));
	}

	private InvalidFieldException(String field, Detail detail) {
		super(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_REQUEST, "Invalid request", detail.text());
		this.field = field;
		getBody().setProperty("errors", Map.of(field, detail.text()));
	}

	/**
	 * Creates the exception with a detail that is a sentence of its own.
	 * @param field the field's name as the caller wrote it
	 * @param detail what is wrong
	 * @return the exception
	 */
	public static InvalidFieldException withDetail(String field, String detail) {
		return new InvalidFieldException(field, new Detail(detail));
	}

	/**
	 * Returns the field that is wrong.
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
			throw new InvalidFieldException(field, "must be between " + min + " and " + max + " (was " + value + ")");
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
			throw new InvalidFieldException(field, "must be between " + min + " and " + max + " (was " + value + ")");
		}
		return value;
	}

	/** A whole detail sentence, told apart from a problem that follows the field name. */
	private record Detail(String text) {

	}

}
