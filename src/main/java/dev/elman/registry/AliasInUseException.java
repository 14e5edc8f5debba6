package dev.elman.registry;

import java.util.List;

/**
 * A version cannot be deleted while aliases point at it.
 */
public class AliasInUseException extends RuntimeException {

	AliasInUseException(String name, int version, List<String> aliases) {
		super("Version " + version + " of model '" + name + "' is the target of alias(es) " + String.join(", ", aliases)
				+ "; move or delete them first.");
	}

}
