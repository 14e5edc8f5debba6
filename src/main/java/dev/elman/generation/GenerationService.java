package dev.elman.generation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import dev.elman.background.BackgroundLoop;
import dev.elman.background.SupervisedLoop;
import dev.elman.http.ProblemTypes;
import dev.elman.http.ServiceUnavailableException;
import dev.elman.model.Generation;
import dev.elman.registry.ModelCache;
import dev.elman.registry.ModelLease;
import dev.elman.registry.ModelNotFoundException;
import dev.elman.registry.ModelRegistry;
import dev.elman.registry.ResolvedVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Greedy decoding behind a bounded queue, with dynamic batching across requests.
 *
 * <p>
 * Requests wait in one queue; each worker thread takes the oldest, then everything else
 * already queued up to {@code maxBatchSize} inputs (waiting up to {@code maxBatchDelay}
 * for more, if set), and decodes the requests for the same model version and length limit
 * as one batch with a decoder of its own. A full queue answers 429 at once; a request not
 * answered by its deadline (queue time included) answers 503. Both carry
 * {@code Retry-After}.
 *
 * <p>
 * No more batches are decoded at once than there are workers, one core each: a decode
 * holds one of as many slots. A request that finds the queue empty and a slot free is
 * decoded at once on its own thread (there is nothing to batch it with, and handing it to
 * a worker and the answer back costs two thread wake-ups); a worker waits for a slot
 * before it gathers its batch, so requests that arrive meanwhile join that batch.
 */
public final class GenerationService implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(GenerationService.class);

	private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

	/**
	 * The most symbols (inputs times length limit) a request may ask for and still be
	 * decoded on its own thread: a larger one waits for a worker, where its deadline is
	 * kept while it waits instead of checked once it is done.
	 */
	private static final int MOST_SYMBOLS_DECODED_ON_CALLER = 8192;

	/** How long closing waits for decodes on callers' threads to finish. */
	private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

	private final ModelRegistry registry;

	private final ModelCache cache;

	private final GenerationProperties properties;

	private final GenerationMetrics metrics;

	private final BlockingQueue<Job> queue;

	private final List<SupervisedLoop> workers = new ArrayList<>();

	private final List<AtomicReference<Job>> heldOver = new ArrayList<>();

	/** One per worker; held by whoever decodes, a worker or a request's own thread. */
	private final Semaphore decodingSlots;

	private final boolean decodeOnCaller;

	private volatile boolean closing;

	private final AtomicLong batches = new AtomicLong();

	private final AtomicLong batchedRequests = new AtomicLong();

	GenerationService(ModelRegistry registry, ModelCache cache, GenerationProperties properties,
			GenerationMetrics metrics) {
		this.registry = registry;
		this.cache = cache;
		this.properties = properties;
		this.metrics = metrics;
		this.queue = new ArrayBlockingQueue<>(properties.queueCapacity());
		this.decodingSlots = new Semaphore(properties.workerCount());
		this.decodeOnCaller = properties.decodeOnCallerWhenIdle() && properties.maxBatchDelay().isZero();
		metrics.queue(this.queue, BlockingQueue::size, properties.queueCapacity());
		for (int i = 0; i < properties.workerCount(); i++) {
			// Each worker keeps the request it took but could not fit into its batch.
			AtomicReference<Job> heldOver = new AtomicReference<>();
			this.heldOver.add(heldOver);
			this.workers.add(SupervisedLoop.continuously("generationWorker" + (i + 1), "elman-generate-" + (i + 1),
					() -> work(heldOver)));
		}
	}

	/**
	 * Decodes a request's inputs, blocking until done or past the deadline.
	 * @param model the model name
	 * @param version a version, or null
	 * @param alias an alias, or null
	 * @param inputs the inputs, already within limits
	 * @param maxLength the length limit, already within limits
	 * @return the outputs and the version used
	 * @throws ServiceUnavailableException when the queue is full (429) or the deadline
	 * passes (503)
	 */
	GenerateResponse generate(String model, Integer version, String alias, List<String> inputs, int maxLength) {
		long started = System.nanoTime();
		long deadline = started + this.properties.requestTimeout().toNanos();
		ResolvedVersion resolved = this.registry.resolve(model, version, alias);
		GenerateResponse response;
		try {
			response = run(new Job(resolved, inputs, maxLength, deadline));
		}
		catch (ModelNotFoundException ex) {
			if (version != null) {
				throw ex;
			}
			// The version behind the alias went away between resolving and loading:
			// resolve once more, so an alias flip or deletion never fails a valid
			// request.
			response = run(new Job(this.registry.resolve(model, null, alias), inputs, maxLength, deadline));
		}
		catch (ServiceUnavailableException ex) {
			this.metrics.rejected(ex);
			throw ex;
		}
		this.metrics.answered(response.model(), Duration.ofNanos(System.nanoTime() - started), response.outputs());
		return response;
	}

	private GenerateResponse run(Job job) {
		if (this.closing) {
			throw shuttingDown();
		}
		if (this.decodeOnCaller && !this.closing && job.symbols() <= MOST_SYMBOLS_DECODED_ON_CALLER
				&& this.queue.isEmpty() && !this.decodingSlots.hasQueuedThreads() && this.decodingSlots.tryAcquire()) {
			try {
				decode(List.of(job));
			}
			finally {
				this.decodingSlots.release();
			}
			if (!job.result.isCompletedExceptionally() && System.nanoTime() > job.deadline) {
				// Answered as a queued request would have been: late is 503.
				throw deadlineExceeded();
			}
			return answer(job);
		}
		if (!this.queue.offer(job)) {
			throw new ServiceUnavailableException(429, ProblemTypes.TOO_MANY_REQUESTS, "The generation queue is full ("
					+ this.properties.queueCapacity() + " requests waiting); retry shortly.", RETRY_AFTER);
		}
		if (this.closing && this.queue.remove(job)) {
			// Queued after closing emptied the queue: nobody would take it.
			throw shuttingDown();
		}
		return answer(job);
	}

	/** Waits for a job's outputs until its deadline. */
	private GenerateResponse answer(Job job) {
		try {
			long remaining = job.deadline - System.nanoTime();
			List<Generation> outputs = job.result.get(Math.max(0, remaining), TimeUnit.NANOSECONDS);
			return new GenerateResponse(job.version.name(), job.version.version(), outputs);
		}
		catch (TimeoutException ex) {
			job.abandoned.set(true);
			throw deadlineExceeded();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			job.abandoned.set(true);
			throw deadlineExceeded();
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new IllegalStateException(ex.getCause());
		}
	}

	private ServiceUnavailableException deadlineExceeded() {
		return new ServiceUnavailableException(503, ProblemTypes.DEADLINE_EXCEEDED,
				"The request could not be served within " + this.properties.requestTimeout().toMillis()
						+ " ms; the service is busy.",
				RETRY_AFTER);
	}

	/**
	 * Returns the workers as their health sees them: DOWN only when none is left, since
	 * one worker still answers every request, only more slowly.
	 * @return the workers' loop
	 */
	public BackgroundLoop workers() {
		return new BackgroundLoop() {

			@Override
			public String name() {
				return "generationWorkers";
			}

			@Override
			public State state() {
				long alive = 0;
				long restarts = 0;
				long failedRounds = 0;
				for (SupervisedLoop worker : GenerationService.this.workers) {
					State state = worker.state();
					alive += state.alive() ? 1 : 0;
					restarts += ((Number) state.details().get("restarts")).longValue();
					failedRounds += ((Number) state.details().get("failedRounds")).longValue();
				}
				return new State(alive > 0,
						Map.of("workers", GenerationService.this.workers.size(), "alive", alive, "restarts", restarts,
								"failedRounds", failedRounds, "queued", GenerationService.this.queue.size()));
			}

		};
	}

	/** The workers' threads now, for tests that kill one. */
	List<Thread> workerThreads() {
		return this.workers.stream().map(SupervisedLoop::thread).toList();
	}

	/**
	 * Returns how many requests wait for a worker.
	 * @return the queue depth
	 */
	public int queueDepth() {
		return this.queue.size();
	}

	/**
	 * Returns how many batches have been decoded.
	 * @return the count
	 */
	public long batches() {
		return this.batches.get();
	}

	/**
	 * Returns how many requests those batches held together.
	 * @return the count
	 */
	public long batchedRequests() {
		return this.batchedRequests.get();
	}

	/**
	 * One round of a worker: a batch taken and decoded. Whatever fails, its requests are
	 * answered (500, or 503 for an error such as running out of memory) and the worker
	 * goes on.
	 */
	private void work(AtomicReference<Job> heldOver) throws InterruptedException {
		Job held = heldOver.getAndSet(null);
		Job first = (held != null) ? held : this.queue.take();
		List<Job> batch = new ArrayList<>();
		batch.add(first);
		boolean holdsSlot = false;
		try {
			// Whatever arrives while the slots are taken joins this batch.
			this.decodingSlots.acquire();
			holdsSlot = true;
			gather(batch, heldOver);
			for (List<Job> group : byModelAndLength(batch)) {
				decode(group);
			}
		}
		catch (InterruptedException ex) {
			// Closing before a slot came free: put the request back for close() to
			// answer.
			heldOver.set(first);
			throw ex;
		}
		catch (Throwable ex) {
			for (Job job : batch) {
				job.result.completeExceptionally(failure(ex));
			}
			throw ex;
		}
		finally {
			if (holdsSlot) {
				this.decodingSlots.release();
			}
		}
	}

	/**
	 * Adds to a batch that holds the oldest request (or the one held over from the last
	 * round) whatever else fits. A request that arrives while the worker waits and does
	 * not fit is held over to start the next batch, so no batch is ever larger than
	 * {@code maxBatchSize} inputs (unless one request alone is).
	 */
	private void gather(List<Job> batch, AtomicReference<Job> heldOver) {
		Job first = batch.get(0);
		int inputs = first.inputs.size();
		long until = System.nanoTime() + this.properties.maxBatchDelay().toNanos();
		while (inputs < this.properties.maxBatchSize()) {
			long wait = until - System.nanoTime();
			Job next;
			try {
				next = (wait > 0) ? this.queue.poll(wait, TimeUnit.NANOSECONDS) : this.queue.poll();
			}
			catch (InterruptedException ex) {
				// Closing: the requests taken so far are still decoded and answered.
				Thread.currentThread().interrupt();
				break;
			}
			if (next == null) {
				break;
			}
			if (inputs + next.inputs.size() > this.properties.maxBatchSize()) {
				heldOver.set(next);
				break;
			}
			batch.add(next);
			inputs += next.inputs.size();
		}
	}

	private static RuntimeException failure(Throwable ex) {
		if (ex instanceof RuntimeException runtime) {
			return runtime;
		}
		if (ex instanceof OutOfMemoryError) {
			return ServiceUnavailableException.outOfMemory("This request could not be decoded");
		}
		// Another error is a bug: a 500, logged where it happened.
		return new IllegalStateException("Decoding failed", ex);
	}

	private static List<List<Job>> byModelAndLength(List<Job> batch) {
		Map<String, List<Job>> groups = new LinkedHashMap<>();
		for (Job job : batch) {
			String key = job.version.name() + '\u0000' + job.version.version() + '\u0000' + job.version.createdAt()
					+ '\u0000' + job.maxLength;
			groups.computeIfAbsent(key, (ignored) -> new ArrayList<>()).add(job);
		}
		return new ArrayList<>(groups.values());
	}

	private void decode(List<Job> group) {
		List<Job> live = new ArrayList<>(group.size());
		for (Job job : group) {
			if (job.abandoned.get() || System.nanoTime() > job.deadline) {
				job.result.completeExceptionally(deadlineExceeded());
			}
			else {
				live.add(job);
			}
		}
		if (live.isEmpty()) {
			return;
		}
		List<String> inputs = new ArrayList<>();
		for (Job job : live) {
			inputs.addAll(job.inputs);
		}
		this.batches.incrementAndGet();
		this.batchedRequests.addAndGet(live.size());
		this.metrics.batch(inputs.size(), live.size());
		try (ModelLease lease = this.cache.acquire(live.get(0).version)) {
			List<Generation> outputs = lease.model().newDecoder().decode(inputs, live.get(0).maxLength);
			int from = 0;
			for (Job job : live) {
				job.result.complete(outputs.subList(from, from + job.inputs.size()));
				from += job.inputs.size();
			}
		}
		catch (RuntimeException | Error ex) {
			if (!(ex instanceof ModelNotFoundException)) {
				logger.error("Decoding a batch for version {} of '{}' failed", live.get(0).version.version(),
						live.get(0).version.name(), ex);
			}
			for (Job job : live) {
				job.result.completeExceptionally(failure(ex));
			}
		}
	}

	@Override
	public synchronized void close() {
		if (this.closing) {
			return;
		}
		this.closing = true;
		this.workers.forEach(SupervisedLoop::close);
		try {
			// Decodes running on callers' threads finish with the models still open.
			this.decodingSlots.tryAcquire(this.properties.workerCount(), CLOSE_WAIT.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		List<Job> left = new ArrayList<>();
		for (AtomicReference<Job> held : this.heldOver) {
			Job job = held.getAndSet(null);
			if (job != null) {
				left.add(job);
			}
		}
		this.queue.drainTo(left);
		for (Job job : left) {
			job.result.completeExceptionally(shuttingDown());
		}
	}

	private static ServiceUnavailableException shuttingDown() {
		return ServiceUnavailableException.shuttingDown(RETRY_AFTER);
	}

	/** One request on its way through the queue. */
	private static final class Job {

		final ResolvedVersion version;

		final List<String> inputs;

		final int maxLength;

		final long deadline;

		final CompletableFuture<List<Generation>> result = new CompletableFuture<>();

		final AtomicBoolean abandoned = new AtomicBoolean();

		Job(ResolvedVersion version, List<String> inputs, int maxLength, long deadline) {
			this.version = version;
			this.inputs = inputs;
			this.maxLength = maxLength;
			this.deadline = deadline;
		}

		/** The most symbols this request can make decode. */
		long symbols() {
			return (long) this.inputs.size() * this.maxLength;
		}

	}

}
