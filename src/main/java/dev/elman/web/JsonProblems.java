package dev.elman.web;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Says what is wrong with a JSON body in the caller's terms: the field and the JSON type
 * it needs, or where the text stops being JSON. Jackson's own messages name Java classes
 * and library settings, which mean nothing to a client and reveal the implementation.
 */
final class JsonProblems {

	private JsonProblems() {
	}

	/**
	 * Describes a failure to read a body.
	 * @param failure the first Jackson exception in the chain
	 * @return the detail and the field errors
	 */
	static Described describe(JacksonException failure) {
		if (failure instanceof UnrecognizedPropertyException unknown) {
			String field = path(unknown);
			List<String> known = new ArrayList<>();
			if (unknown.getKnownPropertyIds() != null) {
				unknown.getKnownPropertyIds().forEach((id) -> known.add(id.toString()));
			}
			return new Described("Unknown field '" + field + "'; known fields: " + known,
					Map.of(field, "unknown field"));
		}
		if (failure instanceof StreamConstraintsException) {
			return new Described("The body breaks a limit on JSON: it is nested too deeply, or holds a number or a "
					+ "string that is too long.", Map.of());
		}
		if (!failure.getPath().isEmpty()) {
			String field = path(failure);
			String problem;
			if (failure instanceof InputCoercionException coercion) {
				// A number beyond what the field can hold, such as 3000000000 for an
				// integer.
				String expected = expected(coercion.getTargetType());
				problem = "is out of range" + ((expected != null) ? " for " + expected : "");
			}
			else {
				String expected = (failure instanceof MismatchedInputException mismatch)
						? expected(mismatch.getTargetType()) : null;
				problem = (expected != null) ? "must be " + expected : "has the wrong type or value";
			}
			return new Described("Field '" + field + "' " + problem + ".", Map.of(field, problem));
		}
		if (failure instanceof DatabindException) {
			return new Described("The body must be one JSON object, as the API description shows.", Map.of());
		}
		String where = where(failure.getLocation());
		String reason = (failure instanceof StreamReadException && failure.getOriginalMessage() != null
				&& failure.getOriginalMessage().startsWith("Duplicate")) ? ": a field is given twice" : "";
		return new Described("The body is not valid JSON" + where + reason + ".", Map.of());
	}

	/**
	 * Whether the text is no JSON at all (as a corpus file posted as the body is), rather
	 * than JSON with a value out of range, a key given twice or a limit broken.
	 * @param failure the first Jackson exception in the chain
	 * @return whether the body's syntax failed with no field to blame
	 */
	static boolean isNotJsonAtAll(JacksonException failure) {
		return failure instanceof StreamReadException && failure.getPath().isEmpty()
				&& !(failure instanceof StreamConstraintsException) && !(failure instanceof InputCoercionException)
				&& (failure.getOriginalMessage() == null || !failure.getOriginalMessage().startsWith("Duplicate"));
	}

	private static String expected(Class<?> type) {
		if (type == null) {
			return null;
		}
		if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
			return "an integer";
		}
		if (type == Double.class || type == double.class || type == Float.class || type == float.class) {
			return "a number";
		}
		if (type == Boolean.class || type == boolean.class) {
			return "true or false";
		}
		if (type == String.class) {
			return "a string";
		}
		if (type.isArray() || Collection.class.isAssignableFrom(type)) {
			return "an array";
		}
		if (type.isRecord() || Map.class.isAssignableFrom(type)) {
			return "an object";
		}
		return null;
	}

	private static String where(TokenStreamLocation location) {
		if (location == null || location.getLineNr() < 1) {
			return "";
		}
		return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
	}

	private static String path(JacksonException ex) {
		List<String> parts = new ArrayList<>();
		for (var reference : ex.getPath()) {
			parts.add((reference.getPropertyName() != null) ? reference.getPropertyName()
					: "[" + reference.getIndex() + "]");
		}
		return String.join(".", parts).replace(".[", "[");
	}

	/**
	 * A body's problem in words.
	 *
	 * @param detail the problem's detail
	 * @param errors field to problem
	 */
	record Described(String detail, Map<String, String> errors) {

	}

}
