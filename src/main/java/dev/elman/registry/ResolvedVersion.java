package dev.elman.registry;

import java.nio.file.Path;
import java.time.Instant;

/**
 * A version chosen to serve, with where its files are.
 *
 * @param name the model name
 * @param version the version number
 * @param folder the version's folder
 * @param createdAt when it was published; with the name and number it identifies the
 * version even if a number is deleted and later reused by hand
 */
public record ResolvedVersion(String name, int version, Path folder, Instant createdAt) {

}
