package dev.elman.jobs;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.elman.background.BackgroundLoop;
import dev.elman.background.SupervisedLoop;
import dev.elman.http.ProblemTypes;
import dev.elman.http.ServiceUnavailableException;
import dev.elman.training.EpochReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-Sent Events for watching a job: {@code job} (its state) on connect and on every
 * change of state, {@code progress} at most every {@value #TICK_MILLIS} ms, {@code epoch}
 * for every finished epoch, and a last {@code end} with the final job, after which the
 * stream closes. An idle stream gets a comment line every {@code eventKeepAlive}, which
 * keeps proxies from closing it and tells a client that went away from one still there.
 *
 * <p>
 * One thread serves every stream: each tick it reads each watched job once, however many
 * watch it (from memory when it runs here, else from the database, so any replica can
 * serve the stream), and sends each watcher what changed for it. At most
 * {@code maxEventStreams} are open at once; when the service stops, every stream is
 * completed at once, so none holds up the shutdown, and clients reconnect elsewhere.
 */
final class JobEventStream implements SmartLifecycle, BackgroundLoop {

	private static final Logger logger = LoggerFactory.getLogger(JobEventStream.class);

	static final long TICK_MILLIS = 250;

	private static final Duration STREAM_TIMEOUT = Duration.ofHours(24);

	/**
	 * How soon a browser's EventSource reconnects after the service closed the stream.
	 */
	private static final Duration RECONNECT = Duration.ofSeconds(1);

	private final JobService jobs;

	private final int maxStreams;

	private final long keepAliveNanos;

	private final Map<String, List<Watcher>> watchersByJob = new ConcurrentHashMap<>();

	private final AtomicInteger open = new AtomicInteger();

	/** The thread that serves every stream; started with the context. */
	private volatile SupervisedLoop ticker;

	private long lastKeepAlive = System.nanoTime();

	/** Streams are taken between the start of the context and the start of shutdown. */
	private volatile boolean accepting;

	JobEventStream(JobService jobs, int maxStreams, Duration keepAlive) {
		this.jobs = jobs;
		this.maxStreams = maxStreams;
		this.keepAliveNanos = keepAlive.toNanos();
	}

	/**
	 * Opens a stream for a job.
	 * @param id the job id
	 * @return the emitter
	 * @throws JobNotFoundException if there is no such job
	 * @throws ServiceUnavailableException if too many streams are open (429) or the
	 * service is stopping (503)
	 */
	SseEmitter watch(String id) {
		if (!this.accepting) {
			throw stopping();
		}
		this.jobs.summary(id);
		if (this.open.incrementAndGet() > this.maxStreams) {
			this.open.decrementAndGet();
			throw new ServiceUnavailableException(429, ProblemTypes.TOO_MANY_REQUESTS,
					"Too many job event streams are open (" + this.maxStreams
							+ "); close one, poll GET /jobs/{id} instead, or retry later.",
					Duration.ofSeconds(5));
		}
		SseEmitter emitter = new SseEmitter(STREAM_TIMEOUT.toMillis());
		Watcher watcher = new Watcher(id, emitter);
		emitter.onCompletion(() -> forget(watcher));
		emitter.onTimeout(() -> forget(watcher));
		emitter.onError((ex) -> forget(watcher));
		// Atomic with the removal of an emptied list, so no watcher lands on a list that
		// is no longer in the map.
		this.watchersByJob.compute(id, (key, watchers) -> {
			List<Watcher> list = (watchers != null) ? watchers : new CopyOnWriteArrayList<>();
			list.add(watcher);
			return list;
		});
		if (!this.accepting) {
			// The service began to stop while this stream was being opened.
			watcher.close(null);
			throw stopping();
		}
		return emitter;
	}

	/**
	 * Returns how many streams are open.
	 * @return the count
	 */
	int openStreams() {
		return this.open.get();
	}

	@Override
	public String name() {
		return "jobEvents";
	}

	/** The thread that serves the streams, as health sees it. */
	@Override
	public State state() {
		SupervisedLoop current = this.ticker;
		if (current == null) {
			return new State(true, java.util.Map.of("running", false));
		}
		State state = current.state();
		java.util.Map<String, Object> details = new java.util.LinkedHashMap<>(state.details());
		details.put("openStreams", this.open.get());
		return new State(state.alive(), details);
	}

	/**
	 * Returns the thread that serves the streams now.
	 * @return the loop, or null before the start
	 */
	SupervisedLoop ticker() {
		return this.ticker;
	}

	/** One round: each watched job read once, each watcher sent what changed. */
	private void tick() {
		boolean keepAlive = System.nanoTime() - this.lastKeepAlive >= this.keepAliveNanos;
		if (keepAlive) {
			this.lastKeepAlive = System.nanoTime();
		}
		for (Map.Entry<String, List<Watcher>> entry : this.watchersByJob.entrySet()) {
			List<Watcher> watchers = entry.getValue();
			if (watchers.isEmpty()) {
				this.watchersByJob.computeIfPresent(entry.getKey(), (key, list) -> list.isEmpty() ? null : list);
				continue;
			}
			String id = entry.getKey();
			TrainingJob job;
			List<EpochReport> fresh;
			TrainingJob finished;
			try {
				// The job without its history, and only the epochs some watcher lacks.
				job = this.jobs.summary(id);
				int known = watchers.stream().mapToInt((watcher) -> watcher.lastEpoch).min().orElse(0);
				fresh = this.jobs.epochs(id, known);
				finished = job.state().isFinished() ? this.jobs.get(id) : null;
			}
			catch (JobNotFoundException ex) {
				watchers.forEach((watcher) -> watcher.close(null));
				continue;
			}
			catch (RuntimeException ex) {
				// The database may be back at the next tick; the streams wait for it.
				logger.warn("Cannot read job {} for its event streams: {}", id, ex.toString());
				continue;
			}
			for (Watcher watcher : watchers) {
				watcher.send(job, fresh, finished, keepAlive);
			}
		}
	}

	private void forget(Watcher watcher) {
		this.watchersByJob.computeIfPresent(watcher.id, (key, watchers) -> {
			watchers.remove(watcher);
			return watchers.isEmpty() ? null : watchers;
		});
		if (watcher.counted.compareAndSet(true, false)) {
			this.open.decrementAndGet();
		}
	}

	private static ServiceUnavailableException stopping() {
		return new ServiceUnavailableException(503, ProblemTypes.SHUTTING_DOWN,
				"The service is shutting down; reconnect, another replica or the restarted service will answer.",
				RECONNECT);
	}

	@Override
	public synchronized void start() {
		if (this.ticker == null) {
			this.ticker = SupervisedLoop.every("jobEvents", "elman-job-events", Duration.ofMillis(TICK_MILLIS),
					Duration.ofMinutes(2), this::tick);
		}
		this.accepting = true;
	}

	/**
	 * Completes every stream at the start of shutdown (after the readiness drain),
	 * telling browsers to reconnect soon, so that no open stream holds up the web
	 * server's graceful shutdown.
	 */
	@Override
	public void stop() {
		this.accepting = false;
		for (List<Watcher> watchers : this.watchersByJob.values()) {
			for (Watcher watcher : watchers) {
				watcher
					.close(SseEmitter.event().reconnectTime(RECONNECT.toMillis()).comment("the service is stopping"));
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.accepting;
	}

	/** With the training queue, after the readiness drain and before the web server. */
	@Override
	public int getPhase() {
		return Integer.MAX_VALUE - 1;
	}

	/** Stops the thread; the context closes this after the web server has stopped. */
	synchronized void close() {
		if (this.ticker != null) {
			this.ticker.close();
			this.ticker = null;
		}
	}

	/** One open stream and what it has been sent. */
	private final class Watcher {

		final String id;

		final SseEmitter emitter;

		JobState state;

		/** The last epoch this stream was sent. */
		int lastEpoch;

		JobProgress progress;

		volatile boolean ended;

		/** Whether this stream still counts against the bound; given back once. */
		final AtomicBoolean counted = new AtomicBoolean(true);

		Watcher(String id, SseEmitter emitter) {
			this.id = id;
			this.emitter = emitter;
		}

		/**
		 * Sends whatever changed since the last send; runs on the ticker only.
		 * @param job the job, without its history
		 * @param epochs its finished epochs after the earliest any of its watchers lacks
		 * @param finished the whole job once it has ended, else null
		 * @param keepAlive whether an idle stream gets its comment now
		 */
		void send(TrainingJob job, List<EpochReport> epochs, TrainingJob finished, boolean keepAlive) {
			if (this.ended) {
				return;
			}
			try {
				boolean sent = false;
				if (job.state() != this.state) {
					this.state = job.state();
					this.emitter.send(SseEmitter.event().name("job").data(job.summary(), MediaType.APPLICATION_JSON));
					sent = true;
				}
				for (EpochReport epoch : epochs) {
					if (epoch.epoch() > this.lastEpoch) {
						this.emitter.send(SseEmitter.event().name("epoch").data(epoch, MediaType.APPLICATION_JSON));
						this.lastEpoch = epoch.epoch();
						sent = true;
					}
				}
				if (job.progress() != null && !job.progress().equals(this.progress)) {
					this.progress = job.progress();
					this.emitter
						.send(SseEmitter.event().name("progress").data(job.progress(), MediaType.APPLICATION_JSON));
					sent = true;
				}
				if (finished != null) {
					this.emitter.send(SseEmitter.event().name("end").data(finished, MediaType.APPLICATION_JSON));
					close(null);
					return;
				}
				if (keepAlive && !sent) {
					this.emitter.send(SseEmitter.event().comment("keep-alive"));
				}
			}
			catch (IOException | RuntimeException ex) {
				// The client went away (or its stream was completed): let it go.
				close(null);
			}
		}

		/** Ends the stream, with a last event if given; safe to call more than once. */
		void close(SseEmitter.SseEventBuilder last) {
			if (this.ended) {
				return;
			}
			this.ended = true;
			try {
				if (last != null) {
					this.emitter.send(last);
				}
				this.emitter.complete();
			}
			catch (IOException | RuntimeException ex) {
				// Already gone; nothing to tell.
			}
			forget(this);
		}

	}

}
