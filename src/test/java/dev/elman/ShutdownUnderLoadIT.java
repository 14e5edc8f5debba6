package dev.elman;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.elman.engine.ComputeEngine;
import dev.elman.model.Seq2SeqModel;
import dev.elman.registry.ModelRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM to the packaged service under load: 64 clients generating and 20 event streams
 * open. Readiness goes DOWN first while requests are still served; every request the
 * service took is answered, and none fails before it stops listening; every stream is
 * completed; the process exits well within the grace period.
 */
class ShutdownUnderLoadIT {

	private static final int CLIENTS = 64;

	private static final int STREAMS = 20;

	private static final Duration DRAIN = Duration.ofSeconds(2);

	private final List<PackagedService> services = new ArrayList<>();

	@AfterEach
	void stopEverything() {
		this.services.forEach((service) -> service.process().destroyForcibly());
	}

	@Test
	void sigtermUnderLoadAnswersEveryRequestTakenCompletesEveryStreamAndExitsInTime() throws Exception {
		Path data = TestFolders.temporary("shutdown-load");
		ComputeEngine.startOnCpu();
		try (ModelRegistry registry = new ModelRegistry(data.resolve("models"), Clock.systemUTC());
				Seq2SeqModel model = TestModels.untrained(1)) {
			registry.publish("busy", model, Map.of());
		}
		PackagedService service = PackagedService.start(data, "service",
				"--elman.shutdown.drain-delay=" + DRAIN.toSeconds() + "s", "--elman.generation.request-timeout=20s");
		this.services.add(service);
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

		var accepted = service.post("/train", TestCorpora.additionJobRequest("watched", 20_000, 40));
		assertThat(accepted.statusCode()).isEqualTo(202);
		String job = accepted.headers().firstValue("Location").orElseThrow();
		List<BufferedReader> streams = new ArrayList<>();
		for (int i = 0; i < STREAMS; i++) {
			HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(service.uri(job + "/events")).build(),
					HttpResponse.BodyHandlers.ofInputStream());
			assertThat(stream.statusCode()).isEqualTo(200);
			streams.add(new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8)));
		}
		CountDownLatch streamsEnded = new CountDownLatch(STREAMS);
		for (BufferedReader stream : streams) {
			daemon(() -> {
				try {
					while (stream.readLine() != null) {
						// Events until the service completes the stream.
					}
				}
				catch (IOException ex) {
					// A reset counts as an end too; the assertions are on the time it
					// took.
				}
				streamsEnded.countDown();
			});
		}

		AtomicBoolean running = new AtomicBoolean(true);
		Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
		Map<Integer, String> refusals = new ConcurrentHashMap<>();
		AtomicLong firstRefusal = new AtomicLong();
		AtomicInteger answered = new AtomicInteger();
		List<Thread> clients = new ArrayList<>();
		for (int i = 0; i < CLIENTS; i++) {
			clients.add(daemon(() -> {
				HttpRequest generate = HttpRequest.newBuilder(service.uri("/generate"))
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"busy\",\"inputs\":[\"abc\",\"de\"]}"))
					.build();
				while (running.get()) {
					try {
						HttpResponse<String> response = http.send(generate, HttpResponse.BodyHandlers.ofString());
						int status = response.statusCode();
						statuses.computeIfAbsent(status, (key) -> new AtomicInteger()).incrementAndGet();
						if (status != 200) {
							// What the service said, for the assertion's message.
							refusals.putIfAbsent(status, response.body());
							firstRefusal.compareAndSet(0, System.nanoTime());
						}
						answered.incrementAndGet();
					}
					catch (IOException ex) {
						// Refused or reset: the service no longer listens.
						firstRefusal.compareAndSet(0, System.nanoTime());
						return;
					}
					catch (InterruptedException ex) {
						return;
					}
				}
			}));
		}
		long loaded = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
		while (answered.get() < 2_000) {
			assertThat(System.nanoTime()).as("2,000 answers under load within two minutes").isLessThan(loaded);
			Thread.sleep(20);
		}

		long signalled = System.nanoTime();
		service.process().destroy();
		HttpResponse<String> readiness = service.get("/actuator/health/readiness");
		for (int i = 0; i < 50 && readiness.statusCode() == 200; i++) {
			Thread.sleep(20);
			readiness = service.get("/actuator/health/readiness");
		}
		assertThat(readiness.statusCode()).isEqualTo(503);
		// A request the server itself refuses before the service reads it (here an
		// encoded
		// '/', 400 otherwise) is answered as shutting down while the service stops: the
		// same path as a kept-alive request Tomcat's graceful shutdown fails to read.
		HttpResponse<String> refused = service.get("/x/..%2fy");
		assertThat(refused.statusCode()).isEqualTo(503);
		assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
		assertThat(refused.body()).contains("\"type\":\"https://elman.dev/problems/shutting-down\"");
		int answeredAtReadinessDown = answered.get();

		assertThat(service.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
		Duration exitedAfter = Duration.ofNanos(System.nanoTime() - signalled);
		running.set(false);
		for (Thread client : clients) {
			client.join(10_000);
		}
		System.out.printf(
				"Shutdown under load: %d answers (%s), %d of them after readiness went DOWN, exit after %d ms%n",
				answered.get(), statuses, answered.get() - answeredAtReadinessDown, exitedAfter.toMillis());
		assertThat(service.process().exitValue()).isEqualTo(143);
		assertThat(exitedAfter).isLessThan(Duration.ofSeconds(20));
		assertThat(streamsEnded.await(1, TimeUnit.SECONDS)).as("every event stream was completed").isTrue();
		// Every request the service answered was served; it kept serving through the
		// drain. Once the server stops taking requests, a request on a kept-alive
		// connection may still be answered, as shutting down (503, to retry): Tomcat's
		// graceful shutdown could refuse it before the service read it.
		assertThat(statuses.keySet()).as(statuses + " " + refusals).containsAnyOf(200).isSubsetOf(200, 503);
		if (refusals.containsKey(503)) {
			assertThat(refusals.get(503)).contains("\"type\":\"https://elman.dev/problems/shutting-down\"");
		}
		assertThat(answered.get()).isGreaterThan(answeredAtReadinessDown);
		if (firstRefusal.get() != 0) {
			assertThat(Duration.ofNanos(firstRefusal.get() - signalled))
				.as("no request refused or answered 503 before the drain ended")
				.isGreaterThanOrEqualTo(DRAIN);
		}
		String log = service.log();
		assertThat(log).contains("Graceful shutdown complete");
		assertThat(log).doesNotContain("IllegalStateException");
		assertThat(log).doesNotContain("Graceful shutdown aborted");
	}

	private static Thread daemon(Runnable work) {
		Thread thread = new Thread(work);
		thread.setDaemon(true);
		thread.start();
		return thread;
	}

}
