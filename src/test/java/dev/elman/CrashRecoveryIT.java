package dev.elman;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged service, killed with SIGKILL in the middle of a training job and started
 * again on the same data folder, finishes the job from its last epoch checkpoint.
 */
class CrashRecoveryIT {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newHttpClient();

	private final List<Process> processes = new ArrayList<>();

	@AfterEach
	void stopEverything() {
		this.processes.forEach(Process::destroyForcibly);
	}

	@Test
	void aJobKilledMidTrainingResumesFromItsCheckpointAfterARestart() throws Exception {
		Path data = TestFolders.temporary("crash");
		int epochs = 40;
		int port = freePort();
		Process first = start(data, port, "first");
		HttpResponse<String> accepted = post(port, "/train", additionRequest(epochs));
		assertThat(accepted.statusCode()).isEqualTo(202);
		String location = accepted.headers().firstValue("Location").orElseThrow();
		JsonNode running = waitFor(port, location, (job) -> job.get("history").size() >= 3);
		assertThat(running.get("state").stringValue()).isEqualTo("RUNNING");

		first.destroyForcibly();
		first.waitFor();
		assertThat(first.exitValue()).isEqualTo(137);

		int secondPort = freePort();
		start(data, secondPort, "second");
		JsonNode done = waitFor(secondPort, location, (job) -> !job.get("state").stringValue().equals("RUNNING")
				&& !job.get("state").stringValue().equals("QUEUED"));
		assertThat(done.get("state").stringValue()).isEqualTo("SUCCEEDED");
		assertThat(done.get("attempts").intValue()).isEqualTo(2);
		assertThat(done.get("resumedAfterEpoch").intValue()).isGreaterThanOrEqualTo(3);
		List<Integer> history = new ArrayList<>();
		done.get("history").forEach((epoch) -> history.add(epoch.get("epoch").intValue()));
		assertThat(history).hasSize(epochs).isSorted().doesNotHaveDuplicates();
		HttpResponse<String> generated = post(secondPort, "/generate", "{\"model\":\"survivor\",\"inputs\":[\"1+2\"]}");
		assertThat(generated.statusCode()).isEqualTo(200);
	}

	/**
	 * Sums of numbers below 1000: enough work for each epoch to take a noticeable time.
	 */
	private static String additionRequest(int epochs) {
		Random random = new Random(5);
		List<Map<String, String>> pairs = new ArrayList<>();
		for (int i = 0; i < 20_000; i++) {
			int a = random.nextInt(1000);
			int b = random.nextInt(1000);
			pairs.add(Map.of("source", a + "+" + b, "target", Integer.toString(a + b)));
		}
		return JSON.writeValueAsString(Map.of("name", "survivor", "pairs", pairs, "epochs", epochs));
	}

	private Process start(Path data, int port, String name) throws Exception {
		String jar = System.getProperty("elman.jar", "target/elman.jar");
		ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-jar", jar, "--server.port=" + port, "--elman.data-dir=" + data);
		builder.environment().put("OMP_NUM_THREADS", "1");
		builder.redirectErrorStream(true);
		builder.redirectOutput(data.resolve(name + ".log").toFile());
		Process process = builder.start();
		this.processes.add(process);
		long until = System.nanoTime() + Duration.ofMinutes(2).toNanos();
		while (System.nanoTime() < until) {
			try {
				if (get(port, "/actuator/health/readiness").statusCode() == 200) {
					return process;
				}
			}
			catch (IOException ex) {
				// Not listening yet.
			}
			Thread.sleep(200);
		}
		throw new AssertionError("The service did not start; see " + data.resolve(name + ".log"));
	}

	private JsonNode waitFor(int port, String location, Predicate<JsonNode> condition) throws Exception {
		long until = System.nanoTime() + Duration.ofMinutes(4).toNanos();
		while (System.nanoTime() < until) {
			JsonNode job = JSON.readTree(get(port, location).body());
			if (condition.test(job)) {
				return job;
			}
			Thread.sleep(100);
		}
		throw new AssertionError("Job " + location + " did not reach the expected state in time");
	}

	private HttpResponse<String> post(int port, String path, String json) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> get(int port, String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
