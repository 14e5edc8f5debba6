package dev.elman;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Folders for tests that need one before JUnit's {@code @TempDir} is injected (for
 * example in a {@code @DynamicPropertySource}).
 */
public final class TestFolders {

	private TestFolders() {
	}

	/**
	 * Creates an empty folder under {@code target/}, which {@code mvn clean} removes.
	 * @param prefix the folder name's start
	 * @return the folder
	 */
	public static Path temporary(String prefix) {
		try {
			Path parent = Files.createDirectories(Path.of("target", "test-folders"));
			return Files.createTempDirectory(parent, prefix).toAbsolutePath();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
