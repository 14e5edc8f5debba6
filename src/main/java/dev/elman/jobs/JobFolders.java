package dev.elman.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.FileSystemUtils;

/**
 * Each job's working folder, {@code {data-dir}/jobs/{id}/}: its corpus and its
 * checkpoints, removed when the job ends.
 */
final class JobFolders {

	private static final Logger logger = LoggerFactory.getLogger(JobFolders.class);

	private final Path root;

	JobFolders(Path root) {
		this.root = root.toAbsolutePath().normalize();
		try {
			Files.createDirectories(this.root);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot create the jobs' folder " + this.root, ex);
		}
	}

	/** The folder all jobs' folders are in. */
	Path root() {
		return this.root;
	}

	Path of(String id) {
		return this.root.resolve(id);
	}

	void delete(String id) {
		try {
			FileSystemUtils.deleteRecursively(of(id));
		}
		catch (IOException ex) {
			logger.warn("Could not remove the folder of job {}: {}", id, ex.getMessage());
		}
	}

}
