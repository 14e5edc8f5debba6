package dev.elman.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.elman.http.InvalidFieldException;

/**
 * Whether encoder and decoder have their own weights or use the very same ones.
 */
public enum WeightSharing implements NamedOption {

	/** Encoder and decoder each have their own embedding and recurrent weights. */
	SEPARATE("separate"),

	/**
	 * Encoder and decoder use the same embedding and recurrent weights (the same arrays,
	 * so an update through one is an update of the other); only the output layer is the
	 * decoder's own.
	 */
	TIED("tied");

	private final String id;

	WeightSharing(String id) {
		this.id = id;
	}

	/**
	 * Returns the name users write.
	 * @return {@code separate} or {@code tied}
	 */
	@Override
	@JsonValue
	public String id() {
		return this.id;
	}

	/**
	 * Finds a mode by the name users write.
	 * @param id the name
	 * @return the mode
	 * @throws InvalidFieldException naming the allowed values
	 */
	@JsonCreator
	public static WeightSharing fromId(String id) {
		return NamedOption.parse(WeightSharing.class, "weightSharing", id);
	}

}
