package dev.elman.jobs;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.elman.corpus.CorpusFormat;
import dev.elman.testdb.TestDatabase;
import dev.elman.model.ModelSpec;
import dev.elman.model.RecurrentInitialization;
import dev.elman.training.EpochReport;
import dev.elman.training.LearningRateSchedule;
import dev.elman.training.TrainingSettings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job table's state changes, on the real migrations of the database the tests run on
 * ({@link TestDatabase}).
 */
class JobRepositoryTests {

	private JobRepository repository;

	private JdbcClient jdbc;

	@BeforeEach
	void migrate() {
		this.jdbc = JdbcClient.create(TestDatabase.migrated());
		this.repository = new JobRepository(this.jdbc, JsonMapper.builder().build());
	}

	private TrainingJob insert(String id) {
		TrainingJob job = new TrainingJob(id, "m", JobState.QUEUED, Instant.now(), null, null, false, 0, null,
				ModelSpec.defaults(), TrainingSettings.defaults(),
				new CorpusInfo("corpus.txt", CorpusFormat.TSV, null, false, 2, 10, "0".repeat(64), 4), null, List.of(),
				null, null, null, null, "f".repeat(64));
		this.repository.insert(job);
		return job;
	}

	@Test
	void aJobStoredBeforeLaterSettingsExistedIsReadWithTheValuesItRanWith() {
		insert("old");
		// The settings and spec as an earlier version stored them: no batchTokens,
		// learningRateSchedule, warmupSteps, learningRateFloor, keepBestWeights or
		// recurrentInitialization.
		this.jdbc.sql("update training_job set settings = :settings, spec = :spec where id = 'old'")
			.param("settings", "{\"epochs\":7,\"batchSize\":64,\"learningRate\":0.01,\"clipNorm\":5.0,\"bpttWindow\":0,"
					+ "\"validationFraction\":0.1,\"seed\":3,\"earlyStoppingPatience\":0,\"maxVocabularySize\":0}")
			.param("spec", "{\"embeddingSize\":8,\"hiddenSize\":32,\"layers\":1,\"cell\":\"rnn-tanh\"}")
			.update();
		TrainingJob old = this.repository.find("old").orElseThrow();
		assertThat(old.settings().epochs()).isEqualTo(7);
		assertThat(old.settings().learningRate()).isEqualTo(0.01);
		assertThat(old.settings().learningRateSchedule()).isEqualTo(LearningRateSchedule.CONSTANT);
		assertThat(old.settings().keepBestWeights()).isFalse();
		assertThat(old.settings().batchTokens()).isZero();
		assertThat(old.settings().warmupSteps()).isZero();
		assertThat(old.settings().recurrentInitialization()).isEqualTo(RecurrentInitialization.UNIFORM);
		assertThat(old.spec().hiddenSize()).isEqualTo(32);
		assertThat(old.spec().weightSharing()).isEqualTo(ModelSpec.defaults().weightSharing());
		assertThat(this.repository.list(null, null, 0, 10)).extracting(TrainingJob::id).containsExactly("old");
	}

	@Test
	void aCancelOfAQueuedJobLeavesAJobThatHasJustStartedRunning() {
		insert("starting");
		assertThat(this.repository.startAttempt("starting", Instant.now(), "replica-1").number()).isEqualTo(1);
		assertThat(this.repository.cancelQueued("starting", Instant.now())).isFalse();
		assertThat(this.repository.find("starting").orElseThrow().state()).isEqualTo(JobState.RUNNING);
		assertThat(this.repository.find("starting").orElseThrow().replica()).isEqualTo("replica-1");

		insert("waiting");
		assertThat(this.repository.cancelQueued("waiting", Instant.now())).isTrue();
		TrainingJob cancelled = this.repository.find("waiting").orElseThrow();
		assertThat(cancelled.state()).isEqualTo(JobState.CANCELLED);
		assertThat(cancelled.finishedAt()).isNotNull();
	}

	@Test
	void onlyStartsThatEndedWithoutAGracefulStopCountAsDeaths() {
		insert("job");
		assertThat(this.repository.startAttempt("job", Instant.now(), "replica-1").deaths()).isZero();
		// The first start ends in a graceful stop (SIGTERM): it is recorded.
		this.repository.recordInterruption("job");
		assertThat(this.repository.startAttempt("job", Instant.now(), "replica-1").deaths()).isZero();
		// The second start ends with a SIGKILL: nothing is recorded.
		JobRepository.Attempt third = this.repository.startAttempt("job", Instant.now(), "replica-1");
		assertThat(third.number()).isEqualTo(3);
		assertThat(third.deaths()).isEqualTo(1);
	}

	@Test
	void eachEpochIsOneRowAndTheHistoryIsReadInOrder() {
		insert("long");
		for (int epoch = 1; epoch <= 300; epoch++) {
			this.repository.saveEpoch("long", epoch(epoch, 1.0 / epoch));
		}
		// A run resumed after a crash reports an epoch again: the last report wins.
		this.repository.saveEpoch("long", epoch(300, 0.5));
		List<EpochReport> history = this.repository.find("long").orElseThrow().history();
		assertThat(history).extracting(EpochReport::epoch).hasSize(300).isSorted().doesNotHaveDuplicates();
		assertThat(history.get(299).trainLoss()).isEqualTo(0.5);
		assertThat(this.repository.epochs("long", 297)).extracting(EpochReport::epoch).containsExactly(298, 299, 300);
		assertThat(this.repository.findSummary("long").orElseThrow().history()).isNull();
	}

	@Test
	void theHistoryAtTheEndOfARunFillsTheEpochsADeadProcessDidNotRecord() {
		insert("gappy");
		this.repository.saveEpoch("gappy", epoch(1, 3.0));
		this.repository.saveEpoch("gappy", epoch(3, 1.0));
		this.repository.saveHistory("gappy", List.of(epoch(1, 9.0), epoch(2, 2.0), epoch(3, 9.0)), 2);
		TrainingJob job = this.repository.find("gappy").orElseThrow();
		assertThat(job.history()).extracting(EpochReport::trainLoss).containsExactly(3.0, 2.0, 1.0);
		assertThat(job.resumedAfterEpoch()).isEqualTo(2);
	}

	private static EpochReport epoch(int number, double loss) {
		return new EpochReport(number, loss, null, null, null, null, Map.of(), 0.1, 0, 100, 10, 1e-3);
	}

	@Test
	void aRunningJobWhoseProcessDiedWaitsAsQueuedUntilItIsPickedUpAgain() {
		insert("orphaned");
		this.repository.startAttempt("orphaned", Instant.now(), "replica-1");
		this.repository.saveProgress("orphaned", new JobProgress(1, 5, 3, 10, 0.5, 1.0, 100.0, 7.0));
		this.repository.requeue("orphaned");
		TrainingJob waiting = this.repository.find("orphaned").orElseThrow();
		assertThat(waiting.state()).isEqualTo(JobState.QUEUED);
		assertThat(waiting.progress()).isNull();
		assertThat(this.repository.startAttempt("orphaned", Instant.now(), "replica-1").number()).isEqualTo(2);
		insert("ended");
		this.repository.finish("ended", JobState.SUCCEEDED, 1, null, Instant.now());
		this.repository.requeue("ended");
		assertThat(this.repository.find("ended").orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
	}

	@Test
	void anEndedJobIsNeitherStartedNorInterrupted() {
		insert("done");
		this.repository.finish("done", JobState.SUCCEEDED, 1, null, Instant.now());
		assertThat(this.repository.startAttempt("done", Instant.now(), "replica-1")).isNull();
		this.repository.recordInterruption("done");
		assertThat(this.repository.find("done").orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
	}

}
