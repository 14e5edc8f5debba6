package dev.elman.jobs;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-Sent Events for watching a job: {@code job} (its state) on connect and on every
 * change of state, {@code progress} at most every {@value #TICK_MILLIS} ms, {@code epoch}
 * for every finished epoch, and a last {@code end} with the final job, after which the
 * stream closes.
 *
 * <p>
 * One timer thread serves every watcher: it reads each watched job (from memory when it
 * runs here, else from the database, so any replica can serve the stream) and sends what
 * changed.
 */
final class JobEventStream implements AutoCloseable {

	static final long TICK_MILLIS = 250;

	private static final Duration STREAM_TIMEOUT = Duration.ofHours(24);

	private final JobService jobs;

	private final Map<SseEmitter, Watcher> watchers = new ConcurrentHashMap<>();

	private final ScheduledExecutorService timer;

	JobEventStream(JobService jobs) {
		this.jobs = jobs;
		this.timer = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "elman-job-events");
			thread.setDaemon(true);
			return thread;
		});
		this.timer.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
	}

	/**
	 * Opens a stream for a job.
	 * @param id the job id
	 * @return the emitter
	 * @throws JobNotFoundException if there is no such job
	 */
	SseEmitter watch(String id) {
		TrainingJob job = this.jobs.get(id);
		SseEmitter emitter = new SseEmitter(STREAM_TIMEOUT.toMillis());
		Watcher watcher = new Watcher(id);
		emitter.onCompletion(() -> this.watchers.remove(emitter));
		emitter.onTimeout(() -> this.watchers.remove(emitter));
		emitter.onError((ex) -> this.watchers.remove(emitter));
		this.watchers.put(emitter, watcher);
		this.timer.execute(() -> send(emitter, watcher, job));
		return emitter;
	}

	private void tick() {
		for (Map.Entry<SseEmitter, Watcher> entry : this.watchers.entrySet()) {
			TrainingJob job;
			try {
				job = this.jobs.get(entry.getValue().id);
			}
			catch (RuntimeException ex) {
				entry.getKey().completeWithError(ex);
				this.watchers.remove(entry.getKey());
				continue;
			}
			send(entry.getKey(), entry.getValue(), job);
		}
	}

	/** Sends whatever changed since the last send; runs on the timer thread only. */
	private void send(SseEmitter emitter, Watcher watcher, TrainingJob job) {
		if (watcher.ended) {
			return;
		}
		try {
			if (job.state() != watcher.state) {
				watcher.state = job.state();
				emitter.send(SseEmitter.event().name("job").data(job.summary(), MediaType.APPLICATION_JSON));
			}
			for (int i = watcher.epochsSent; i < job.history().size(); i++) {
				emitter.send(SseEmitter.event().name("epoch").data(job.history().get(i), MediaType.APPLICATION_JSON));
			}
			watcher.epochsSent = job.history().size();
			if (job.progress() != null && !job.progress().equals(watcher.progress)) {
				watcher.progress = job.progress();
				emitter.send(SseEmitter.event().name("progress").data(job.progress(), MediaType.APPLICATION_JSON));
			}
			if (job.state().isFinished()) {
				watcher.ended = true;
				emitter.send(SseEmitter.event().name("end").data(job, MediaType.APPLICATION_JSON));
				emitter.complete();
				this.watchers.remove(emitter);
			}
		}
		catch (IOException | IllegalStateException ex) {
			// The client went away.
			watcher.ended = true;
			this.watchers.remove(emitter);
		}
	}

	@Override
	public void close() {
		this.timer.shutdownNow();
		this.watchers.keySet().forEach(SseEmitter::complete);
	}

	private static final class Watcher {

		final String id;

		JobState state;

		int epochsSent;

		JobProgress progress;

		boolean ended;

		Watcher(String id) {
			this.id = id;
		}

	}

}
