package dev.elman.model;

import java.util.Arrays;
import java.util.stream.Collectors;

import dev.elman.http.InvalidFieldException;

/**
 * An enum constant with the lower-case name users write in settings and JSON.
 */
public interface NamedOption {

	/**
	 * Returns the name users write.
	 * @return the name
	 */
	String id();

	/**
	 * Finds the constant with the given name.
	 * @param <E> the enum
	 * @param type the enum's class
	 * @param field the setting's name, for the error message
	 * @param id the name to look up
	 * @return the constant
	 * @throws InvalidFieldException naming the field and the allowed values
	 */
	static <E extends Enum<E> & NamedOption> E parse(Class<E> type, String field, String id) {
		for (E constant : type.getEnumConstants()) {
			if (constant.id().equals(id)) {
				return constant;
			}
		}
		String allowed = Arrays.stream(type.getEnumConstants()).map(NamedOption::id).collect(Collectors.joining(", "));
		throw new InvalidFieldException(field, "must be one of " + allowed + " (was '" + id + "')");
	}

}
