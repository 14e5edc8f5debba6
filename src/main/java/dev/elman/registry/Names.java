package dev.elman.registry;

import java.util.regex.Pattern;

import dev.elman.http.InvalidFieldException;

/**
 * Model and alias names: lower-case letters, digits, dots, dashes and underscores,
 * starting with a letter or digit, at most 64 characters. Names become folder names, so
 * nothing that could walk out of the registry (no slashes, no {@code ..}) is accepted.
 */
public final class Names {

	private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

	/** The implicit alias for the highest good version; it cannot be set. */
	public static final String LATEST = "latest";

	private Names() {
	}

	/**
	 * Checks a model name.
	 * @param name the name
	 * @return the name
	 * @throws InvalidFieldException if it is not a valid model name
	 */
	public static String model(String name) {
		return model("model", name);
	}

	/**
	 * Checks a model name the caller sent under another name.
	 * @param field the request field or path parameter that holds it, named in the error
	 * @param name the name
	 * @return the name
	 * @throws InvalidFieldException if it is not a valid model name
	 */
	public static String model(String field, String name) {
		if (name == null) {
			throw InvalidFieldException.withDetail(field, field + " is required; a model name is 1 to 64 characters of"
					+ " a-z, 0-9, '.', '_' and '-', starting with a letter or digit");
		}
		if (!NAME.matcher(name).matches() || name.contains("..")) {
			throw InvalidFieldException.withDetail(field,
					"a model name is 1 to 64 characters of a-z, 0-9, '.', '_' and '-', starting with a letter or digit"
							+ " (was '" + name + "')");
		}
		return name;
	}

	/**
	 * Checks an alias name that may be set.
	 * @param alias the alias
	 * @return the alias
	 * @throws InvalidFieldException if it is not valid or is {@value #LATEST}
	 */
	public static String alias(String alias) {
		if (alias == null || !NAME.matcher(alias).matches() || alias.contains("..")) {
			throw InvalidFieldException.withDetail("alias",
					"an alias is 1 to 64 characters of a-z, 0-9, '.', '_' and '-', starting with a letter or digit"
							+ " (was '" + alias + "')");
		}
		if (alias.chars().allMatch(Character::isDigit)) {
			throw InvalidFieldException.withDetail("alias",
					"an alias cannot be a number, which would read as a version");
		}
		if (LATEST.equals(alias)) {
			throw InvalidFieldException.withDetail("alias",
					"'latest' always means the highest good version and cannot be set");
		}
		return alias;
	}

	static boolean isModel(String name) {
		return NAME.matcher(name).matches() && !name.contains("..");
	}

}
