package dev.elman.registry;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One version of a model as the registry sees it.
 *
 * @param version the version number, counting from 1
 * @param status whether it can be served
 * @param problem why it cannot, or null
 * @param createdAt when it was published
 * @param sizeBytes the size of its files
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VersionInfo(int version, VersionStatus status, String problem, Instant createdAt, long sizeBytes) {

}
