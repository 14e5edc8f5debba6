package dev.elman.registry;

import java.util.Collection;

/**
 * How many models and versions a registry holds, and how many of those versions are
 * corrupt; for its health and its metrics.
 *
 * @param models the models
 * @param versions their versions, corrupt ones included
 * @param corruptVersions the versions that cannot be served
 */
record RegistrySize(int models, int versions, int corruptVersions) {

	static RegistrySize of(Collection<ModelInfo> models) {
		int versions = 0;
		int corrupt = 0;
		for (ModelInfo model : models) {
			for (VersionInfo version : model.versions()) {
				versions++;
				corrupt += (version.status() == VersionStatus.CORRUPT) ? 1 : 0;
			}
		}
		return new RegistrySize(models.size(), versions, corrupt);
	}

	int readyVersions() {
		return this.versions - this.corruptVersions;
	}

}
