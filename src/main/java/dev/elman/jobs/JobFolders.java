package dev.elman.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each job's working folder, {@code {data-dir}/jobs/{id}/}: its corpus and its
 * checkpoints, removed when the job ends.
 */
final class JobFolders {

	private static final Logger logger = LoggerFactory.getLogger(JobFolders.class);

	private final Path root;

	JobFolders(Path root) {
		this.root = root.toAbsolutePath().normalize();
	}

	Path of(String id) {
		return this.root.resolve(id);
	}

	void delete(String id) {
		Path folder = of(id);
		if (!Files.exists(folder)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(folder)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(path);
			}
		}
		catch (IOException ex) {
			logger.warn("Could not remove the folder of job {}: {}", id, ex.getMessage());
		}
	}

}
