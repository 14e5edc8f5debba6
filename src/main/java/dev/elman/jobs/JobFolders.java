package dev.elman.jobs;

import java.io.IOException;
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
