package dev.elman.jobs;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.elman.corpus.CorpusFormat;
import dev.elman.model.ModelSpec;
import dev.elman.training.TrainingSettings;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job table's state changes, on the embedded database with the real migrations.
 */
class JobRepositoryTests {

	private JobRepository repository;

	@BeforeEach
	void migrate() {
		JdbcDataSource dataSource = new JdbcDataSource();
		dataSource.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
		Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/h2").load().migrate();
		this.repository = new JobRepository(JdbcClient.create(dataSource), JsonMapper.builder().build());
	}

	private TrainingJob insert(String id) {
		TrainingJob job = new TrainingJob(id, "m", JobState.QUEUED, Instant.now(), null, null, false, 0,
				ModelSpec.defaults(), TrainingSettings.defaults(),
				new CorpusInfo("corpus.txt", CorpusFormat.TSV, null, false, 2, 10, "0".repeat(64), 4), null, List.of(),
				null, null, null, null, "f".repeat(64));
		this.repository.insert(job);
		return job;
	}

	@Test
	void aCancelOfAQueuedJobLeavesAJobThatHasJustStartedRunning() {
		insert("starting");
		assertThat(this.repository.startAttempt("starting", Instant.now()).number()).isEqualTo(1);
		assertThat(this.repository.cancelQueued("starting", Instant.now())).isFalse();
		assertThat(this.repository.find("starting").orElseThrow().state()).isEqualTo(JobState.RUNNING);

		insert("waiting");
		assertThat(this.repository.cancelQueued("waiting", Instant.now())).isTrue();
		TrainingJob cancelled = this.repository.find("waiting").orElseThrow();
		assertThat(cancelled.state()).isEqualTo(JobState.CANCELLED);
		assertThat(cancelled.finishedAt()).isNotNull();
	}

	@Test
	void onlyStartsThatEndedWithoutAGracefulStopCountAsDeaths() {
		insert("job");
		assertThat(this.repository.startAttempt("job", Instant.now()).deaths()).isZero();
		// The first start ends in a graceful stop (SIGTERM): it is recorded.
		this.repository.recordInterruption("job");
		assertThat(this.repository.startAttempt("job", Instant.now()).deaths()).isZero();
		// The second start ends with a SIGKILL: nothing is recorded.
		JobRepository.Attempt third = this.repository.startAttempt("job", Instant.now());
		assertThat(third.number()).isEqualTo(3);
		assertThat(third.deaths()).isEqualTo(1);
	}

	@Test
	void anEndedJobIsNeitherStartedNorInterrupted() {
		insert("done");
		this.repository.finish("done", JobState.SUCCEEDED, 1, null, Instant.now());
		assertThat(this.repository.startAttempt("done", Instant.now())).isNull();
		this.repository.recordInterruption("done");
		assertThat(this.repository.find("done").orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
	}

}
