package dev.elman.registry;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Whether a version can be served.
 */
public enum VersionStatus {

	/** Its files match their checksums. */
	READY("ready"),

	/**
	 * A file is missing, unreadable or does not match its checksum; it is never served.
	 */
	CORRUPT("corrupt");

	private final String id;

	VersionStatus(String id) {
		this.id = id;
	}

	/**
	 * Returns the name clients see.
	 * @return {@code ready} or {@code corrupt}
	 */
	@JsonValue
	public String id() {
		return this.id;
	}

}
