package dev.elman.model;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Why greedy decoding stopped for one input.
 */
public enum StopReason {

	/** The model predicted the end symbol. */
	END("end"),

	/** The length limit was reached first. */
	MAX_LENGTH("max_length");

	private final String id;

	StopReason(String id) {
		this.id = id;
	}

	/**
	 * Returns the name clients see.
	 * @return {@code end} or {@code max_length}
	 */
	@JsonValue
	public String id() {
		return this.id;
	}

}
