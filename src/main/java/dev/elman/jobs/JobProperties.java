package dev.elman.jobs;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * How many trainings run, how many wait, and how large a corpus may be.
 *
 * @param maxConcurrent trainings running at once in this process
 * @param queueCapacity jobs that may wait; beyond that {@code POST /train} answers 429
 * @param maxCorpusSize the largest corpus, uploaded or inline
 * @param maxPairs the most pairs in a corpus
 * @param maxSequenceLength the most symbols on either side of a pair
 * @param maxVocabularySize the largest vocabulary a job may build; beyond it the rarest
 * symbols become unknown
 * @param stepThreads threads that share each training step; 0 means half the processors
 * (at least one), which leaves the rest to generation
 * @param heartbeatInterval how often a running job says it is alive; a job silent for
 * four intervals (its process died) is run again and resumes from its checkpoint
 * @param pollingInterval how often the queue is looked at for jobs (new jobs of this
 * process start at once)
 * @param maxAttempts how many times a job's process may die while training it before it
 * is failed (a job that kills its process every time must not loop forever); graceful
 * stops (SIGTERM, a rolling deploy) do not count
 * @param maxEventStreams event streams ({@code /jobs/{id}/events}) open at once; beyond
 * that a new one is answered 429
 * @param maxParameters the most parameters a job's model may have (its weights, gradients
 * and Adam's state take about 16 bytes each while it trains)
 * @param maxConcurrentSubmissions {@code POST /train} requests read at once (an inline
 * corpus is held in memory while it is checked); beyond that the answer is 429
 * @param minFreeSpace the least free disk under the jobs' folder (corpora, checkpoints)
 * for the training queue to count as healthy
 * @param eventKeepAlive how often an idle event stream gets a comment line, so proxies
 * keep it open and a client that went away is noticed
 */
@Validated
@ConfigurationProperties("elman.jobs")
public record JobProperties(@Min(1) @Max(64) @DefaultValue("1") int maxConcurrent,
		@Min(1) @Max(100_000) @DefaultValue("16") int queueCapacity,
		@NotNull @DefaultValue("64MB") DataSize maxCorpusSize,
		@Min(1) @Max(100_000_000) @DefaultValue("1000000") int maxPairs,
		@Min(1) @Max(1_000_000) @DefaultValue("1000") int maxSequenceLength,
		@Min(5) @Max(10_000_000) @DefaultValue("100000") int maxVocabularySize,
		@Min(0) @Max(256) @DefaultValue("0") int stepThreads, @NotNull @DefaultValue("1s") Duration heartbeatInterval,
		@NotNull @DefaultValue("1s") Duration pollingInterval, @Min(1) @Max(100) @DefaultValue("5") int maxAttempts,
		@Min(1) @Max(100_000) @DefaultValue("256") int maxEventStreams,
		@NotNull @DefaultValue("15s") Duration eventKeepAlive, @NotNull @DefaultValue("100MB") DataSize minFreeSpace,
		@Min(1) @Max(1000) @DefaultValue("2") int maxConcurrentSubmissions,
		@Min(1000) @DefaultValue("20000000") long maxParameters) {

	int stepThreadCount() {
		return (this.stepThreads > 0) ? this.stepThreads : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
	}

}
