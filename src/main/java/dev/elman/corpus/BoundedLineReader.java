package dev.elman.corpus;

import java.io.IOException;
import java.io.Reader;

/**
 * Reads lines as {@link java.io.BufferedReader#readLine()} does (ended by {@code \n},
 * {@code \r} or both), but stops at a line longer than a limit as soon as it is that
 * long: a corpus of one 60-million-character line must not be held in memory to be
 * refused. Not thread-safe.
 */
final class BoundedLineReader {

	private final Reader in;

	private final int maxLength;

	private final char[] buffer = new char[8192];

	private int position;

	private int end;

	private boolean skipLineFeed;

	BoundedLineReader(Reader in, int maxLength) {
		this.in = in;
		this.maxLength = maxLength;
	}

	/**
	 * Reads the next line.
	 * @return the line without its end, or null at the end of the text
	 * @throws IOException if reading fails
	 * @throws LineTooLongException if the line is longer than the limit
	 */
	String readLine() throws IOException {
		StringBuilder line = null;
		while (true) {
			if (this.position == this.end && !fill()) {
				return (line != null) ? line.toString() : null;
			}
			if (this.skipLineFeed) {
				this.skipLineFeed = false;
				if (this.buffer[this.position] == '\n') {
					this.position++;
					continue;
				}
			}
			int start = this.position;
			while (this.position < this.end && this.buffer[this.position] != '\n'
					&& this.buffer[this.position] != '\r') {
				this.position++;
			}
			int length = this.position - start;
			int sofar = (line != null) ? line.length() : 0;
			if (sofar + length > this.maxLength) {
				throw new LineTooLongException(this.maxLength);
			}
			if (line == null) {
				line = new StringBuilder(length);
			}
			line.append(this.buffer, start, length);
			if (this.position < this.end) {
				this.skipLineFeed = this.buffer[this.position] == '\r';
				this.position++;
				return line.toString();
			}
		}
	}

	private boolean fill() throws IOException {
		int read;
		do {
			read = this.in.read(this.buffer, 0, this.buffer.length);
		}
		while (read == 0);
		if (read < 0) {
			return false;
		}
		this.position = 0;
		this.end = read;
		return true;
	}

	/** A line beyond the limit. */
	static final class LineTooLongException extends IOException {

		LineTooLongException(int limit) {
			super("the line is longer than " + limit + " characters");
		}

	}

}
