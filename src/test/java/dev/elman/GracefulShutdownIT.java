package dev.elman;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.elman.engine.ComputeEngine;
import dev.elman.model.Seq2SeqModel;
import dev.elman.registry.ModelRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM to the packaged service: readiness goes DOWN while it still answers, a
 * generation in flight is answered, the running training job writes a checkpoint of the
 * step it reached, and the next start continues the job from that step.
 */
class GracefulShutdownIT {

	private static final Pattern STOPPED_AT = Pattern
		.compile("stopped for shutdown \\(Training was cancelled in epoch (\\d+) before step (\\d+)\\)");

	private final List<PackagedService> services = new ArrayList<>();

	@AfterEach
	void stopEverything() {
		this.services.forEach((service) -> service.process().destroyForcibly());
	}

	@Test
	void sigtermDrainsFinishesRequestsInFlightAndLeavesTheJobCheckpointedWhereItStopped() throws Exception {
		Path data = TestFolders.temporary("shutdown");
		publishAModel(data);
		// A lone request waits 4 s for company in its batch: it is still in flight well
		// after the signal, through the 2 s drain and into the web server's own shutdown.
		PackagedService first = start(data, "first", "--elman.shutdown.drain-delay=2s", "--elman.generation.workers=1",
				"--elman.generation.max-batch-delay=4s", "--elman.generation.request-timeout=30s");
		var accepted = first.post("/train", TestCorpora.additionJobRequest("patient", 20_000, 40));
		assertThat(accepted.statusCode()).isEqualTo(202);
		String location = accepted.headers().firstValue("Location").orElseThrow();
		String id = location.substring(location.lastIndexOf('/') + 1);
		first.waitForJob(location, (job) -> job.path("progress").path("epoch").asInt() >= 2);

		CompletableFuture<HttpResponse<String>> inFlight = first.postAsync("/generate",
				"{\"model\":\"steady\",\"inputs\":[\"abc\"]}");
		Thread.sleep(300);
		first.process().destroy();

		HttpResponse<String> readiness = waitForReadinessToFail(first);
		assertThat(readiness.statusCode()).isEqualTo(503);
		assertThat(readiness.body()).contains("\"status\":\"OUT_OF_SERVICE\"");
		assertThat(first.get("/actuator/health/liveness").statusCode()).isEqualTo(200);

		HttpResponse<String> generated = inFlight.get(1, TimeUnit.MINUTES);
		assertThat(generated.statusCode()).isEqualTo(200);
		assertThat(generated.body()).contains("\"model\":\"steady\"");
		assertThat(first.process().waitFor(2, TimeUnit.MINUTES)).isTrue();
		assertThat(first.process().exitValue()).isEqualTo(143);

		String log = first.log();
		assertThat(log).contains("Graceful shutdown complete");
		Matcher stoppedAt = STOPPED_AT.matcher(log);
		assertThat(stoppedAt.find()).as("the job's stop is logged").isTrue();
		int epoch = Integer.parseInt(stoppedAt.group(1));
		int step = Integer.parseInt(stoppedAt.group(2));
		// Stopped between two steps of an epoch, the checkpoint is of that step; stopped
		// before an epoch's first step, the previous epoch's checkpoint already is.
		String expected = (step > 1) ? String.format("epoch-%04d+%06d", epoch - 1, step - 1)
				: String.format("epoch-%04d", epoch - 1);
		assertThat(checkpoints(data.resolve("jobs").resolve(id).resolve("checkpoints"))).containsExactly(expected);

		PackagedService second = start(data, "second");
		JsonNode done = second.waitForJob(location, (job) -> !job.get("state").stringValue().equals("RUNNING")
				&& !job.get("state").stringValue().equals("QUEUED"));
		assertThat(done.get("state").stringValue()).isEqualTo("SUCCEEDED");
		assertThat(done.get("attempts").intValue()).isEqualTo(2);
		assertThat(done.get("resumedAfterEpoch").intValue()).isEqualTo(epoch - 1);
		List<Integer> history = new ArrayList<>();
		done.get("history").forEach((report) -> history.add(report.get("epoch").intValue()));
		assertThat(history).hasSize(40).isSorted().doesNotHaveDuplicates();
	}

	private static void publishAModel(Path data) throws Exception {
		ComputeEngine.startOnCpu();
		try (ModelRegistry registry = new ModelRegistry(data.resolve("models"), Clock.systemUTC());
				Seq2SeqModel model = TestModels.untrained(1)) {
			registry.publish("steady", model, Map.of());
		}
	}

	private static HttpResponse<String> waitForReadinessToFail(PackagedService service) throws Exception {
		long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
		HttpResponse<String> readiness = service.get("/actuator/health/readiness");
		while (readiness.statusCode() == 200 && System.nanoTime() < until) {
			Thread.sleep(20);
			readiness = service.get("/actuator/health/readiness");
		}
		return readiness;
	}

	private static List<String> checkpoints(Path folder) throws Exception {
		try (Stream<Path> entries = Files.list(folder)) {
			return entries.map((path) -> path.getFileName().toString())
				.filter((name) -> name.startsWith("epoch-"))
				.toList();
		}
	}

	private PackagedService start(Path data, String name, String... arguments) throws Exception {
		PackagedService service = PackagedService.start(data, name, arguments);
		this.services.add(service);
		return service;
	}

}
