package dev.elman.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.elman.model.ModelManifest;

/**
 * A version's state and, when it is readable, its manifest.
 *
 * @param model the model name
 * @param info the version's number, status, publication time and size
 * @param manifest the manifest, absent for a corrupt version
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record VersionDetails(String model, @JsonUnwrapped VersionInfo info, ModelManifest manifest) {

}
