package dev.elman;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The packaged jar ({@code -Delman.jar}, built by {@code package}) run as a separate
 * process, for tests of what only a real process shows: signals, crashes and restarts.
 */
final class PackagedService {

	static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newHttpClient();

	private final Process process;

	private final int port;

	private final Path log;

	private PackagedService(Process process, int port, Path log) {
		this.process = process;
		this.port = port;
		this.log = log;
	}

	/**
	 * Starts the jar on a free port and waits until it is ready.
	 * @param data the data folder
	 * @param name names the log file in the data folder
	 * @param arguments more command-line arguments
	 * @return the running service
	 */
	static PackagedService start(Path data, String name, String... arguments) throws Exception {
		int port = freePort();
		String jar = System.getProperty("elman.jar", "target/elman.jar");
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar,
						"--server.port=" + port, "--elman.data-dir=" + data));
		command.addAll(List.of(arguments));
		ProcessBuilder builder = new ProcessBuilder(command);
		builder.environment().put("OMP_NUM_THREADS", "1");
		builder.redirectErrorStream(true);
		Path log = data.resolve(name + ".log");
		builder.redirectOutput(log.toFile());
		PackagedService service = new PackagedService(builder.start(), port, log);
		long until = System.nanoTime() + Duration.ofMinutes(2).toNanos();
		while (System.nanoTime() < until && service.process.isAlive()) {
			try {
				if (service.get("/actuator/health/readiness").statusCode() == 200) {
					return service;
				}
			}
			catch (IOException ex) {
				// Not listening yet.
			}
			Thread.sleep(200);
		}
		service.process.destroyForcibly();
		throw new AssertionError("The service did not start; see " + log);
	}

	@Override
	public String toString() {
		return "the service on port " + this.port + " (log " + this.log.getFileName() + ")";
	}

	Process process() {
		return this.process;
	}

	String log() throws IOException {
		return Files.readString(this.log);
	}

	HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
	}

	HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
		return this.http.send(postRequest(path, json), HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * Sends any request.
	 * @param method the HTTP method
	 * @param path the path
	 * @param json a JSON body, or null for none
	 * @return the response
	 */
	HttpResponse<String> send(String method, String path, String json) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path));
		if (json == null) {
			request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		else {
			request.header("Content-Type", "application/json")
				.method(method, HttpRequest.BodyPublishers.ofString(json));
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	CompletableFuture<HttpResponse<String>> postAsync(String path, String json) {
		return this.http.sendAsync(postRequest(path, json), HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * Polls a job until it meets a condition.
	 * @param location the job's URI path
	 * @param condition what to wait for
	 * @return the job as it was when the condition held
	 */
	JsonNode waitForJob(String location, Predicate<JsonNode> condition) throws Exception {
		long until = System.nanoTime() + Duration.ofMinutes(4).toNanos();
		while (System.nanoTime() < until) {
			JsonNode job = JSON.readTree(get(location).body());
			if (condition.test(job)) {
				return job;
			}
			Thread.sleep(50);
		}
		throw new AssertionError("Job " + location + " did not reach the expected state in time; see " + this.log);
	}

	/**
	 * Sends SIGTERM, as a container runtime or init system does, and waits for the exit.
	 */
	int terminate() throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(2, TimeUnit.MINUTES)) {
			throw new AssertionError("The service did not stop within two minutes of SIGTERM; see " + this.log);
		}
		return this.process.exitValue();
	}

	/** Sends SIGKILL: the process dies at once, as on a crash or an OOM kill. */
	int kill() throws InterruptedException {
		this.process.destroyForcibly();
		return this.process.waitFor();
	}

	private HttpRequest postRequest(String path, String json) {
		return HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build();
	}

	URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

	/** A port no one listens on now. */
	static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
