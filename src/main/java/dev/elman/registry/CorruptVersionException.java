package dev.elman.registry;

/**
 * A version whose files do not match their checksums; it is never served.
 */
public class CorruptVersionException extends RuntimeException {

	CorruptVersionException(String name, int version, String reason) {
		super("Version " + version + " of model '" + name + "' is corrupt and is not served: " + reason);
	}

}
