package dev.elman.web;

/**
 * Checks bytes as they stream by against UTF-8's well-formedness rules (the WHATWG
 * decoder's): overlong forms such as {@code C0 AF} for '/', surrogates and code points
 * beyond U+10FFFF are refused. JSON parsers decode some of them silently; a request body
 * must be the text its bytes say, or nothing. Not thread-safe.
 */
final class Utf8Validator {

	private int needed;

	private int lower = 0x80;

	private int upper = 0xBF;

	private long offset;

	/**
	 * Takes the next bytes.
	 * @param bytes the buffer
	 * @param from the first byte to check
	 * @param length how many bytes to check
	 * @return -1 if they are well-formed so far, else the body offset of the first byte
	 * that is not
	 */
	long accept(byte[] bytes, int from, int length) {
		for (int i = from; i < from + length; i++, this.offset++) {
			if (!accept(bytes[i] & 0xFF)) {
				return this.offset;
			}
		}
		return -1;
	}

	/**
	 * Tells whether the text ended on a whole character.
	 * @return true unless a multi-byte character was cut off
	 */
	boolean complete() {
		return this.needed == 0;
	}

	private boolean accept(int b) {
		if (this.needed == 0) {
			if (b <= 0x7F) {
				return true;
			}
			if (b >= 0xC2 && b <= 0xDF) {
				this.needed = 1;
			}
			else if (b == 0xE0) {
				this.needed = 2;
				this.lower = 0xA0;
			}
			else if (b == 0xED) {
				this.needed = 2;
				this.upper = 0x9F;
			}
			else if (b >= 0xE1 && b <= 0xEF) {
				this.needed = 2;
			}
			else if (b == 0xF0) {
				this.needed = 3;
				this.lower = 0x90;
			}
			else if (b == 0xF4) {
				this.needed = 3;
				this.upper = 0x8F;
			}
			else if (b >= 0xF1 && b <= 0xF3) {
				this.needed = 3;
			}
			else {
				return false;
			}
			return true;
		}
		if (b < this.lower || b > this.upper) {
			return false;
		}
		this.lower = 0x80;
		this.upper = 0xBF;
		this.needed--;
		return true;
	}

}
