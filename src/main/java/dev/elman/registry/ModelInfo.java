package dev.elman.registry;

import java.util.List;
import java.util.Map;

/**
 * A model and its versions and aliases.
 *
 * @param name the model name
 * @param latest the highest version that can be served, or null if none can
 * @param aliases named aliases and the versions they point at
 * @param versions every version, ascending
 */
public record ModelInfo(String name, Integer latest, Map<String, Integer> aliases, List<VersionInfo> versions) {

	/**
	 * Returns a version.
	 * @param version the number
	 * @return the version, or null if there is none of that number
	 */
	VersionInfo version(int version) {
		for (VersionInfo info : this.versions) {
			if (info.version() == version) {
				return info;
			}
		}
		return null;
	}

}
