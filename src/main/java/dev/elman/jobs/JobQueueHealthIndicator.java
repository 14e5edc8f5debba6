package dev.elman.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;

import dev.elman.storage.FileProblems;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * Whether training jobs are taken up: the scheduler polling the queue, how deep the queue
 * is, and whether the disk under the jobs' folder has room for their checkpoints. A full
 * queue is still UP (new jobs get 429 until it drains); the database itself has Spring
 * Boot's own {@code db} indicator.
 */
class JobQueueHealthIndicator extends AbstractHealthIndicator {

	private final TrainingQueue queue;

	private final JobRepository repository;

	private final JobProperties properties;

	private final JobFolders folders;

	JobQueueHealthIndicator(TrainingQueue queue, JobRepository repository, JobProperties properties,
			JobFolders folders) {
		super("The training queue check failed");
		this.queue = queue;
		this.repository = repository;
		this.properties = properties;
		this.folders = folders;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		boolean polling = this.queue.isPolling();
		Map<JobState, Long> jobs = this.repository.countByState();
		long free;
		try {
			free = Files.getFileStore(this.folders.root()).getUsableSpace();
		}
		catch (IOException ex) {
			// Not Boot's default, which would show the exception and its path to anyone.
			builder.down()
				.withDetail("error",
						"The free disk under the jobs' folder cannot be read (" + FileProblems.describe(ex) + ")");
			return;
		}
		boolean enoughSpace = free >= this.properties.minFreeSpace().toBytes();
		builder.status((polling && enoughSpace) ? Status.UP : Status.DOWN)
			.withDetail("schedulerRunning", polling)
			.withDetail("queued", jobs.get(JobState.QUEUED))
			.withDetail("running", jobs.get(JobState.RUNNING))
			.withDetail("queueCapacity", this.properties.queueCapacity())
			.withDetail("maxConcurrent", this.properties.maxConcurrent())
			.withDetail("freeBytes", free)
			.withDetail("minFreeBytes", this.properties.minFreeSpace().toBytes());
		if (!enoughSpace) {
			builder.withDetail("error", "Less free disk than " + this.properties.minFreeSpace()
					+ " under the jobs' folder: new jobs cannot store their corpora and checkpoints");
		}
	}

}
