package dev.elman.jobs;

import java.time.Duration;
import java.util.Map;

import dev.elman.training.StepProgress;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Training jobs for Prometheus: how many are in each state (in the shared database, so
 * the same from every replica), what the jobs training in this process do step by step,
 * and how long they took. No tag carries a job id or a model name: both grow without
 * bound.
 */
final class JobMetrics {

	/**
	 * The state counts are one query, run at most once a second however often scraped.
	 */
	private static final long STATE_COUNT_TTL_NANOS = 1_000_000_000L;

	private final MeterRegistry registry;

	private final JobRepository repository;

	private final JobActivity activity;

	private final Counter steps;

	private final Counter tokens;

	private final Counter epochs;

	private volatile double latestLoss = Double.NaN;

	private volatile double latestGradientNorm = Double.NaN;

	private volatile double latestLearningRate = Double.NaN;

	private volatile CachedCounts stateCounts = new CachedCounts(0, null);

	JobMetrics(MeterRegistry registry, JobRepository repository, JobActivity activity) {
		this.registry = registry;
		this.repository = repository;
		this.activity = activity;
		for (JobState state : JobState.values()) {
			Gauge.builder("elman.jobs", () -> stateCount(state))
				.description("Training jobs by state, across every replica sharing the database")
				.tag("state", state.name().toLowerCase())
				.register(registry);
		}
		Gauge.builder("elman.training.active", activity, JobActivity::runningCount)
			.description("Jobs training in this process now")
			.register(registry);
		Gauge.builder("elman.training.tokens.per.second", activity, JobMetrics::tokensPerSecond)
			.description("Target symbols trained per second in the current epoch, summed over this process's jobs")
			.register(registry);
		Gauge.builder("elman.training.loss", () -> whileTraining(this.latestLoss))
			.description("The latest training step's loss (NaN while no job trains here)")
			.register(registry);
		Gauge.builder("elman.training.learning.rate", () -> whileTraining(this.latestLearningRate))
			.description("The latest training step's learning rate (NaN while no job trains here)")
			.register(registry);
		Gauge.builder("elman.training.gradient.norm", () -> whileTraining(this.latestGradientNorm))
			.description("The latest training step's gradient L2 norm before clipping (NaN while no job trains here)")
			.register(registry);
		this.steps = Counter.builder("elman.training.steps").description("Optimizer steps taken").register(registry);
		this.tokens = Counter.builder("elman.training.tokens")
			.description("Target symbols trained on, end symbols included")
			.baseUnit("tokens")
			.register(registry);
		this.epochs = Counter.builder("elman.training.epochs").description("Epochs finished").register(registry);
	}

	void step(StepProgress progress) {
		this.steps.increment();
		this.tokens.increment(progress.stepTokens());
		this.latestLoss = progress.loss();
		this.latestGradientNorm = progress.gradientNorm();
		this.latestLearningRate = progress.learningRate();
	}

	void epoch() {
		this.epochs.increment();
	}

	/**
	 * Records how long a job took from its first start to its end, by how it ended.
	 */
	void ended(JobState state, Duration duration) {
		Timer.builder("elman.training.job.duration")
			.description("Time from a job's first start to its end, by outcome")
			.tag("outcome", state.name().toLowerCase())
			.register(this.registry)
			.record(duration);
	}

	private double whileTraining(double value) {
		return (this.activity.runningCount() > 0) ? value : Double.NaN;
	}

	private static double tokensPerSecond(JobActivity activity) {
		return activity.runningProgress().stream().mapToDouble(JobProgress::tokensPerSecond).sum();
	}

	private double stateCount(JobState state) {
		CachedCounts cached = this.stateCounts;
		if (cached.counts() == null || System.nanoTime() - cached.readAt() > STATE_COUNT_TTL_NANOS) {
			cached = new CachedCounts(System.nanoTime(), this.repository.countByState());
			this.stateCounts = cached;
		}
		return cached.counts().get(state);
	}

	private record CachedCounts(long readAt, Map<JobState, Long> counts) {

	}

}
