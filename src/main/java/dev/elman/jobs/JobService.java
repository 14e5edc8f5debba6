package dev.elman.jobs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.elman.http.InvalidFieldException;
import dev.elman.http.ProblemTypes;
import dev.elman.http.ServiceUnavailableException;
import dev.elman.model.ModelSpec;
import dev.elman.model.Vocabulary;
import dev.elman.registry.Names;
import dev.elman.training.EpochReport;
import dev.elman.training.TrainingSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Accepts, lists and cancels training jobs.
 */
public class JobService {

	private static final Logger logger = LoggerFactory.getLogger(JobService.class);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final JobRepository repository;

	private final TrainingQueue queue;

	private final JobActivity activity;

	private final JobFolders folders;

	private final CorpusIntake intake;

	private final JobProperties properties;

	private final TransactionTemplate transactions;

	private final Clock clock;

	JobService(JobRepository repository, TrainingQueue queue, JobActivity activity, JobFolders folders,
			CorpusIntake intake, JobProperties properties, TransactionTemplate transactions, Clock clock) {
		this.repository = repository;
		this.queue = queue;
		this.activity = activity;
		this.folders = folders;
		this.intake = intake;
		this.properties = properties;
		this.transactions = transactions;
		this.clock = clock;
	}

	/**
	 * Accepts a job whose corpus is in the request.
	 * @param request the request
	 * @param idempotencyKey the client's key, or null
	 * @return the job, new or (for a repeated key) the existing one
	 * @throws IOException if the corpus cannot be stored
	 */
	TrainingJob submit(TrainRequest request, String idempotencyKey) throws IOException {
		return submit(request, null, idempotencyKey);
	}

	/**
	 * Accepts a job whose corpus is uploaded as a file.
	 * @param options the options
	 * @param corpus the uploaded corpus
	 * @param idempotencyKey the client's key, or null
	 * @return the job
	 * @throws IOException if the corpus cannot be stored
	 */
	TrainingJob submit(TrainRequest options, InputStream corpus, String idempotencyKey) throws IOException {
		String name = Names.model("name", options.name());
		ModelSpec spec = options.spec();
		TrainingSettings settings = options.settings(this.properties.maxVocabularySize());
		checkIdempotencyKey(idempotencyKey);
		checkDiskSpace();
		String id = UUID.randomUUID().toString();
		String fingerprint = null;
		try {
			CorpusInfo stored = (corpus != null)
					? this.intake.storeUpload(this.folders.of(id), corpus, options, spec.tokenization())
					: this.intake.storeInline(this.folders.of(id), options, spec.tokenization());
			checkModelSize(spec, settings, stored);
			fingerprint = fingerprint(name, spec, settings, stored);
			if (idempotencyKey != null) {
				Optional<TrainingJob> earlier = this.repository.findByIdempotencyKey(idempotencyKey);
				if (earlier.isPresent()) {
					this.folders.delete(id);
					return sameRequest(earlier.get(), idempotencyKey, fingerprint);
				}
			}
			if (this.repository.count(JobState.QUEUED, null) >= this.properties.queueCapacity()) {
				throw new ServiceUnavailableException(429, ProblemTypes.TOO_MANY_REQUESTS,
						"The training queue is full (" + this.properties.queueCapacity() + " jobs waiting).",
						Duration.ofSeconds(30));
			}
			TrainingJob job = new TrainingJob(id, name, JobState.QUEUED, this.clock.instant(), null, null, false, 0,
					null, spec, settings, stored, null, List.of(), null, null, null, idempotencyKey, fingerprint);
			this.transactions.executeWithoutResult((status) -> {
				this.repository.insert(job);
				this.queue.enqueue(id);
			});
			logger.info("Accepted training job {} for model '{}' ({} pairs)", id, name, stored.pairs());
			return job;
		}
		catch (DuplicateKeyException ex) {
			// The same key arrived twice at once; the first insert won, and this request
			// is its retry only if it asks for the same job.
			this.folders.delete(id);
			TrainingJob earlier = this.repository.findByIdempotencyKey(idempotencyKey).orElseThrow(() -> ex);
			return sameRequest(earlier, idempotencyKey, fingerprint);
		}
		catch (RuntimeException | IOException | Error ex) {
			// Whatever stopped it (out of memory included), nothing of the request stays.
			this.folders.delete(id);
			throw ex;
		}
	}

	/**
	 * Refuses new jobs while the disk their corpora and checkpoints go to is nearly full:
	 * they would fail later, after queueing, for a reason the caller can wait out now.
	 */
	private void checkDiskSpace() {
		long free = this.folders.usableSpace();
		if (free >= 0 && free < this.properties.minFreeSpace().toBytes()) {
			throw new ServiceUnavailableException(503, ProblemTypes.STORAGE_UNAVAILABLE,
					"The disk for training jobs is nearly full (" + free + " bytes free, at least "
							+ this.properties.minFreeSpace().toBytes() + " needed); retry once space is freed.",
					Duration.ofSeconds(60));
		}
	}

	/**
	 * Refuses an architecture too large to train here, from its parameter count on this
	 * corpus's vocabulary, before it is queued: its weights, gradients and Adam's state
	 * would not fit in memory, and no setting names the problem once it runs.
	 */
	private void checkModelSize(ModelSpec spec, TrainingSettings settings, CorpusInfo corpus) {
		int vocabulary = Vocabulary.RESERVED
				+ Math.min(corpus.symbols(), settings.maxVocabularySize() - Vocabulary.RESERVED);
		long parameters = spec.parameterCount(vocabulary);
		if (parameters > this.properties.maxParameters()) {
			throw new InvalidFieldException("hiddenSize",
					"gives a model of " + parameters
							+ " parameters (with embeddingSize, layers, cell, weightSharing and " + "this corpus's "
							+ vocabulary + " symbols); at most " + this.properties.maxParameters()
							+ " are allowed here (elman.jobs.max-parameters): choose a smaller hiddenSize, "
							+ "embeddingSize or number of layers");
		}
	}

	/**
	 * A key is 1 to 200 visible ASCII characters: an empty key would be one key shared by
	 * every client that sends the header blank.
	 */
	private static void checkIdempotencyKey(String key) {
		if (key == null) {
			return;
		}
		if (key.isEmpty() || key.length() > 200 || !key.chars().allMatch((c) -> c > 0x20 && c < 0x7f)) {
			throw new InvalidFieldException("Idempotency-Key",
					"must be 1 to 200 visible ASCII characters (letters, digits, punctuation; no spaces), such as a UUID");
		}
	}

	private static TrainingJob sameRequest(TrainingJob earlier, String key, String fingerprint) {
		if (!fingerprint.equals(earlier.requestFingerprint())) {
			throw new IdempotencyConflictException(key, earlier.id());
		}
		return earlier;
	}

	/**
	 * Returns a job as it is now.
	 * @param id the job id
	 * @return the job
	 * @throws JobNotFoundException if there is none
	 */
	TrainingJob get(String id) {
		return this.activity.current(this.repository.find(id).orElseThrow(() -> new JobNotFoundException(id)));
	}

	/**
	 * Returns a job as it is now, without its history: cheap however many epochs it has.
	 * @param id the job id
	 * @return the job, its history null
	 * @throws JobNotFoundException if there is none
	 */
	TrainingJob summary(String id) {
		return this.activity.current(this.repository.findSummary(id).orElseThrow(() -> new JobNotFoundException(id)));
	}

	/**
	 * Returns a job's finished epochs after a given one.
	 * @param id the job id
	 * @param after the last epoch already known, 0 for all
	 * @return the epochs, in order
	 */
	List<EpochReport> epochs(String id, int after) {
		return this.repository.epochs(id, after);
	}

	/**
	 * Lists jobs, newest first.
	 * @param state only this state, or null
	 * @param model only this model, or null
	 * @param page the page, from 0
	 * @param size jobs per page
	 * @return the page
	 */
	JobPage list(JobState state, String model, int page, int size) {
		List<TrainingJob> jobs = this.repository.list(state, model, page, size)
			.stream()
			.map((job) -> this.activity.current(job).summary())
			.toList();
		return new JobPage(jobs, page, size, this.repository.count(state, model));
	}

	/**
	 * Cancels a job: a queued one at once, a running one within a step.
	 * @param id the job id
	 * @return the job after the request
	 * @throws JobNotFoundException if there is none
	 * @throws JobFinishedException if it already succeeded or failed
	 */
	TrainingJob cancel(String id) {
		TrainingJob job = get(id);
		if (job.state() == JobState.CANCELLED) {
			return job;
		}
		if (job.state().isFinished()) {
			throw new JobFinishedException(job);
		}
		this.repository.requestCancel(id);
		this.activity.cancel(id);
		if (job.state() == JobState.QUEUED && this.repository.cancelQueued(id, this.clock.instant())) {
			this.queue.remove(id);
			this.folders.delete(id);
		}
		return get(id);
	}

	private static String fingerprint(String name, ModelSpec spec, TrainingSettings settings, CorpusInfo corpus) {
		String request = name + '\n' + JSON.writeValueAsString(spec) + '\n' + JSON.writeValueAsString(settings) + '\n'
				+ corpus.format() + '\n' + corpus.delimiter() + '\n' + corpus.keepPadding() + '\n' + corpus.sha256();
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(request.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A page of jobs.
	 *
	 * @param items the jobs, newest first, without their epoch histories
	 * @param page the page number, from 0
	 * @param size the page size
	 * @param total how many jobs match in all
	 */
	record JobPage(List<TrainingJob> items, int page, int size, long total) {

	}

}
