package dev.elman.jobs;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.elman.model.ModelSpec;
import dev.elman.training.EpochReport;
import dev.elman.training.TrainingSettings;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Training jobs in the {@code training_job} table; structured parts (spec, settings,
 * corpus, progress, history) are stored as JSON text, which every supported database
 * holds as is.
 */
class JobRepository {

	private static final TypeReference<List<EpochReport>> HISTORY = new TypeReference<>() {
	};

	private final JdbcClient jdbc;

	/**
	 * Settings for the fields a stored job may lack.
	 */
	private static final TrainingSettings SETTINGS_BEFORE_THEIR_FIELDS = TrainingSettings.beforeTheirFields();

	private final JsonMapper json;

	JobRepository(JdbcClient jdbc, JsonMapper json) {
		this.jdbc = jdbc;
		this.json = json;
	}

	void insert(TrainingJob job) {
		this.jdbc.sql("""
				insert into training_job (id, model_name, state, idempotency_key, request_fingerprint, spec, settings,
				    corpus, created_at, cancel_requested, attempts)
				values (:id, :model, :state, :key, :fingerprint, :spec, :settings, :corpus, :created, false, 0)
				""")
			.param("id", job.id())
			.param("model", job.model())
			.param("state", job.state().name())
			.param("key", job.idempotencyKey())
			.param("fingerprint", job.requestFingerprint())
			.param("spec", this.json.writeValueAsString(job.spec()))
			.param("settings", this.json.writeValueAsString(job.settings()))
			.param("corpus", this.json.writeValueAsString(job.corpus()))
			.param("created", time(job.createdAt()))
			.update();
	}

	/** A job with its whole history. */
	Optional<TrainingJob> find(String id) {
		return findSummary(id).map((job) -> job.withHistory(history(id, job)));
	}

	/** A job without its history: cheap, whatever its number of epochs. */
	Optional<TrainingJob> findSummary(String id) {
		return this.jdbc.sql("select * from training_job where id = :id").param("id", id).query(this::map).optional();
	}

	/**
	 * A job's finished epochs after a given one, in order.
	 * @param id the job
	 * @param after the last epoch already known, 0 for all
	 * @return the epochs
	 */
	List<EpochReport> epochs(String id, int after) {
		return this.jdbc.sql("select report from training_epoch where job_id = :id and epoch > :after order by epoch")
			.param("id", id)
			.param("after", after)
			.query((row, number) -> this.json.readValue(row.getString("report"), EpochReport.class))
			.list();
	}

	private List<EpochReport> history(String id, TrainingJob job) {
		List<EpochReport> epochs = epochs(id, 0);
		if (!epochs.isEmpty()) {
			return epochs;
		}
		// A job that ended before epochs had rows of their own.
		String legacy = this.jdbc.sql("select history from training_job where id = :id")
			.param("id", id)
			.query(String.class)
			.optional()
			.orElse(null);
		return (legacy != null) ? this.json.readValue(legacy, HISTORY) : List.of();
	}

	Optional<TrainingJob> findByIdempotencyKey(String key) {
		return this.jdbc.sql("select * from training_job where idempotency_key = :key")
			.param("key", key)
			.query(this::map)
			.optional()
			.map((job) -> job.withHistory(history(job.id(), job)));
	}

	/**
	 * Returns one page of jobs, newest first.
	 */
	List<TrainingJob> list(JobState state, String model, int page, int size) {
		return this.jdbc
			.sql("select * from training_job" + where(state, model)
					+ " order by created_at desc, id desc limit :size offset :offset")
			.param("state", (state != null) ? state.name() : null)
			.param("model", model)
			.param("size", size)
			.param("offset", (long) page * size)
			.query(this::map)
			.list();
	}

	long count(JobState state, String model) {
		return this.jdbc.sql("select count(*) from training_job" + where(state, model))
			.param("state", (state != null) ? state.name() : null)
			.param("model", model)
			.query(Long.class)
			.single();
	}

	private static String where(JobState state, String model) {
		List<String> conditions = new ArrayList<>();
		if (state != null) {
			conditions.add("state = :state");
		}
		if (model != null) {
			conditions.add("model_name = :model");
		}
		return conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions);
	}

	/** Jobs in each state, every state present (0 where none). */
	Map<JobState, Long> countByState() {
		Map<JobState, Long> counts = new EnumMap<>(JobState.class);
		for (JobState state : JobState.values()) {
			counts.put(state, 0L);
		}
		this.jdbc.sql("select state, count(*) as jobs from training_job group by state").query((row) -> {
			counts.put(JobState.valueOf(row.getString("state")), row.getLong("jobs"));
		});
		return counts;
	}

	List<String> unfinished() {
		return this.jdbc.sql("select id from training_job where state in ('QUEUED', 'RUNNING') order by created_at")
			.query(String.class)
			.list();
	}

	/**
	 * Marks a job running for one more attempt, unless it has ended.
	 * @param replica the replica that runs it
	 * @return the attempt, or null if the job has ended or does not exist
	 */
	Attempt startAttempt(String id, Instant now, String replica) {
		int updated = this.jdbc.sql("""
				update training_job set state = 'RUNNING', attempts = attempts + 1,
				    started_at = coalesce(started_at, :now), replica = :replica
				where id = :id and state in ('QUEUED', 'RUNNING')
				""").param("id", id).param("now", time(now)).param("replica", replica).update();
		if (updated == 0) {
			return null;
		}
		return this.jdbc.sql("select attempts, interruptions from training_job where id = :id")
			.param("id", id)
			.query((row, number) -> new Attempt(row.getInt("attempts"), row.getInt("interruptions")))
			.optional()
			.orElse(null);
	}

	/**
	 * Puts a running job whose process died back in the queue's state, until a replica
	 * picks it up again.
	 */
	void requeue(String id) {
		this.jdbc.sql("update training_job set state = 'QUEUED', progress = null where id = :id and state = 'RUNNING'")
			.param("id", id)
			.update();
	}

	/** Counts a graceful stop of a running job, which is no process death. */
	void recordInterruption(String id) {
		this.jdbc.sql("update training_job set interruptions = interruptions + 1 where id = :id and state = 'RUNNING'")
			.param("id", id)
			.update();
	}

	/**
	 * Cancels a job that has not started: one that a runner has just marked running is
	 * left to stop at its next step (and to remove its own folder).
	 * @return true if this call ended it
	 */
	boolean cancelQueued(String id, Instant now) {
		return this.jdbc.sql("""
				update training_job set state = 'CANCELLED', finished_at = :now, progress = null
				where id = :id and state = 'QUEUED'
				""").param("id", id).param("now", time(now)).update() > 0;
	}

	void saveProgress(String id, JobProgress progress) {
		this.jdbc.sql("update training_job set progress = :progress where id = :id and state = 'RUNNING'")
			.param("id", id)
			.param("progress", this.json.writeValueAsString(progress))
			.update();
	}

	/**
	 * Records a finished epoch: one row, however long the history (a run resumed after a
	 * crash may record an epoch again; the last report wins).
	 */
	void saveEpoch(String id, EpochReport report) {
		String json = this.json.writeValueAsString(report);
		int updated = this.jdbc.sql("update training_epoch set report = :report where job_id = :id and epoch = :epoch")
			.param("id", id)
			.param("epoch", report.epoch())
			.param("report", json)
			.update();
		if (updated == 0) {
			this.jdbc.sql("insert into training_epoch (job_id, epoch, report) values (:id, :epoch, :report)")
				.param("id", id)
				.param("epoch", report.epoch())
				.param("report", json)
				.update();
		}
	}

	/** Records that a run resumed from a checkpoint after the given epoch. */
	void saveResumedAfter(String id, int epoch) {
		this.jdbc.sql("update training_job set resumed_after_epoch = :epoch where id = :id")
			.param("id", id)
			.param("epoch", epoch)
			.update();
	}

	/**
	 * Records the whole history at the end of a run: the epochs the database lacks (a
	 * process that died between a checkpoint and its epoch's row) are added.
	 */
	void saveHistory(String id, List<EpochReport> history, Integer resumedAfterEpoch) {
		Set<Integer> recorded = new HashSet<>(this.jdbc.sql("select epoch from training_epoch where job_id = :id")
			.param("id", id)
			.query(Integer.class)
			.list());
		for (EpochReport report : history) {
			if (!recorded.contains(report.epoch())) {
				saveEpoch(id, report);
			}
		}
		if (resumedAfterEpoch != null) {
			this.jdbc.sql("update training_job set resumed_after_epoch = :resumed where id = :id")
				.param("id", id)
				.param("resumed", resumedAfterEpoch)
				.update();
		}
	}

	/**
	 * Asks a queued or running job to stop.
	 * @return true if the job had not ended
	 */
	boolean requestCancel(String id) {
		return this.jdbc.sql("""
				update training_job set cancel_requested = true
				where id = :id and state in ('QUEUED', 'RUNNING')
				""").param("id", id).update() > 0;
	}

	boolean isCancelRequested(String id) {
		return this.jdbc.sql("select cancel_requested from training_job where id = :id")
			.param("id", id)
			.query(Boolean.class)
			.optional()
			.orElse(false);
	}

	/**
	 * Ends a job that has not ended yet.
	 * @return true if this call ended it
	 */
	boolean finish(String id, JobState state, Integer version, String error, Instant now) {
		return this.jdbc.sql("""
				update training_job set state = :state, result_version = :version, error = :error,
				    finished_at = :now, progress = null
				where id = :id and state in ('QUEUED', 'RUNNING')
				""")
			.param("id", id)
			.param("state", state.name())
			.param("version", version)
			.param("error", error)
			.param("now", time(now))
			.update() > 0;
	}

	/**
	 * Reads a job's stored spec or settings. Rows written by an earlier version lack the
	 * fields added since; each takes the value that meant what those jobs did then.
	 */
	private <T> T stored(String text, T before, Class<T> type) {
		ObjectNode filled = this.json.valueToTree(before);
		filled.setAll((ObjectNode) this.json.readTree(text));
		return this.json.treeToValue(filled, type);
	}

	private TrainingJob map(ResultSet row, int number) throws SQLException {
		String progress = row.getString("progress");
		int version = row.getInt("result_version");
		Integer resultVersion = row.wasNull() ? null : version;
		int resumed = row.getInt("resumed_after_epoch");
		Integer resumedAfter = row.wasNull() ? null : resumed;
		String model = row.getString("model_name");
		return new TrainingJob(row.getString("id"), model, JobState.valueOf(row.getString("state")),
				instant(row, "created_at"), instant(row, "started_at"), instant(row, "finished_at"),
				row.getBoolean("cancel_requested"), row.getInt("attempts"), row.getString("replica"),
				stored(row.getString("spec"), ModelSpec.defaults(), ModelSpec.class),
				stored(row.getString("settings"), SETTINGS_BEFORE_THEIR_FIELDS, TrainingSettings.class),
				this.json.readValue(row.getString("corpus"), CorpusInfo.class),
				(progress != null) ? this.json.readValue(progress, JobProgress.class) : null, null, resumedAfter,
				(resultVersion != null) ? new TrainingJob.JobResult(model, resultVersion) : null,
				row.getString("error"), row.getString("idempotency_key"), row.getString("request_fingerprint"));
	}

	private static OffsetDateTime time(Instant instant) {
		return (instant != null) ? instant.atOffset(ZoneOffset.UTC) : null;
	}

	private static Instant instant(ResultSet row, String column) throws SQLException {
		OffsetDateTime time = row.getObject(column, OffsetDateTime.class);
		return (time != null) ? time.toInstant() : null;
	}

	/**
	 * One start of a job.
	 *
	 * @param number how many times a process has started it, this time included
	 * @param interruptions how many of the earlier starts ended in a graceful stop
	 */
	record Attempt(int number, int interruptions) {

		/** Earlier starts that ended with their process's death. */
		int deaths() {
			return this.number - 1 - this.interruptions;
		}

	}

}
