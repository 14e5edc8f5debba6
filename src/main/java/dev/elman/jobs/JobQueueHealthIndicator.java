package dev.elman.jobs;

import java.util.Map;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * Whether training jobs are taken up: the scheduler polling the queue, and how deep the
 * queue is. A full queue is still UP (new jobs get 429 until it drains); the database
 * itself has Spring Boot's own {@code db} indicator.
 */
class JobQueueHealthIndicator extends AbstractHealthIndicator {

	private final TrainingQueue queue;

	private final JobRepository repository;

	private final JobProperties properties;

	JobQueueHealthIndicator(TrainingQueue queue, JobRepository repository, JobProperties properties) {
		super("The training queue check failed");
		this.queue = queue;
		this.repository = repository;
		this.properties = properties;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		boolean polling = this.queue.isPolling();
		Map<JobState, Long> jobs = this.repository.countByState();
		builder.status(polling ? Status.UP : Status.DOWN)
			.withDetail("schedulerRunning", polling)
			.withDetail("queued", jobs.get(JobState.QUEUED))
			.withDetail("running", jobs.get(JobState.RUNNING))
			.withDetail("queueCapacity", this.properties.queueCapacity())
			.withDetail("maxConcurrent", this.properties.maxConcurrent());
	}

}
