package dev.elman.http;

/**
 * Checks that request text is well-formed Unicode. JSON lets a client write a lone
 * surrogate ({@code "\ud800"}), which no UTF-8 file or model vocabulary can hold; such
 * text is refused up front with the field named, not found out later as a storage error.
 */
public final class UnicodeText {

	private UnicodeText() {
	}

	/**
	 * Checks a text.
	 * @param field the field it came in, as the caller wrote it
	 * @param text the text, or null
	 * @return the text
	 * @throws InvalidFieldException if it holds a lone surrogate
	 */
	public static String requireWellFormed(String field, String text) {
		int at = loneSurrogate(text);
		if (at >= 0) {
			throw new InvalidFieldException(field, "is not valid Unicode text: it holds a lone surrogate (\\u"
					+ Integer.toHexString(text.charAt(at)) + ") at character " + at);
		}
		return text;
	}

	/**
	 * Tells whether a text is well-formed Unicode.
	 * @param text the text, or null
	 * @return false if it holds a lone surrogate
	 */
	public static boolean isWellFormed(String text) {
		return loneSurrogate(text) < 0;
	}

	private static int loneSurrogate(String text) {
		if (text == null) {
			return -1;
		}
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
				i++;
			}
			else if (Character.isSurrogate(c)) {
				return i;
			}
		}
		return -1;
	}

}
