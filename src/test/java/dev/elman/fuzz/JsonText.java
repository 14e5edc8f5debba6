package dev.elman.fuzz;

import java.util.List;
import java.util.Map;

/**
 * Writes generated values as JSON text, escaping everything outside printable ASCII as
 * {@code \\uXXXX}: a lone surrogate then reaches the service as the legal JSON escape a
 * client can send, not as bytes no encoder would write.
 */
final class JsonText {

	/** JSON's null (a Java null cannot sit in the generated maps). */
	static final Object NULL = new Object();

	private JsonText() {
	}

	/** A number written as is, such as {@code 1e400}. */
	static Object raw(String number) {
		return new Raw(number);
	}

	static String write(Object value) {
		StringBuilder out = new StringBuilder();
		write(value, out);
		return out.toString();
	}

	private static void write(Object value, StringBuilder out) {
		if (value == NULL || value == null) {
			out.append("null");
		}
		else if (value instanceof Raw raw) {
			out.append(raw.text());
		}
		else if (value instanceof Number || value instanceof Boolean) {
			out.append(value);
		}
		else if (value instanceof Map<?, ?> map) {
			out.append('{');
			boolean first = true;
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				if (!first) {
					out.append(',');
				}
				first = false;
				string(entry.getKey().toString(), out);
				out.append(':');
				write(entry.getValue(), out);
			}
			out.append('}');
		}
		else if (value instanceof List<?> list) {
			out.append('[');
			for (int i = 0; i < list.size(); i++) {
				if (i > 0) {
					out.append(',');
				}
				write(list.get(i), out);
			}
			out.append(']');
		}
		else {
			string(value.toString(), out);
		}
	}

	private static void string(String text, StringBuilder out) {
		out.append('"');
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '"' || c == '\\') {
				out.append('\\').append(c);
			}
			else if (c < 0x20 || c > 0x7e) {
				out.append(String.format("\\u%04x", (int) c));
			}
			else {
				out.append(c);
			}
		}
		out.append('"');
	}

	private record Raw(String text) {

	}

}
