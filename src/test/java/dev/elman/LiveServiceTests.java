package dev.elman;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.elman.corpus.TextPair;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The service with its default settings and an API key on a random port, over real HTTP.
 * Subclasses share one application context (and one data folder), so add only tests that
 * tolerate each other's models and jobs.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class LiveServiceTests {

	static final JsonMapper JSON = JsonMapper.builder().build();

	/** The service's one API key; {@link #post} sends it. */
	static final String API_KEY = "3f6c1e0a9b8d7c6b5a4f3e2d1c0b9a88";

	private static final Path dataDir = TestFolders.temporary("live");

	@DynamicPropertySource
	static void settings(DynamicPropertyRegistry registry) {
		registry.add("elman.data-dir", () -> dataDir.toString());
		registry.add("elman.registry.scan-interval", () -> "200ms");
		registry.add("elman.security.api-keys", () -> API_KEY);
	}

	final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	HttpResponse<String> get(String path) throws Exception {
		return send(request(path).GET());
	}

	/** Posts JSON with the API key. */
	HttpResponse<String> post(String path, String json) throws Exception {
		return send(authorized(path).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json)));
	}

	/** A request that carries the API key. */
	HttpRequest.Builder authorized(String path) {
		return request(path).header("Authorization", "Bearer " + API_KEY);
	}

	HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path));
	}

	static JsonNode json(HttpResponse<String> response) {
		return JSON.readTree(response.body());
	}

	/**
	 * A {@code POST /train} body: the 125 reversals of three letters, a few epochs.
	 */
	static String reversalJob(String model, int epochs) {
		List<Map<String, String>> pairs = new ArrayList<>();
		for (TextPair pair : TestCorpora.tinyReversal()) {
			pairs.add(Map.of("source", pair.source(), "target", pair.target()));
		}
		return JSON.writeValueAsString(Map.of("name", model, "pairs", pairs, "hiddenSize", 32, "epochs", epochs,
				"batchSize", 16, "learningRate", 0.01, "validationFraction", 0.2));
	}

	/**
	 * Trains a model over HTTP and waits for its job to end.
	 * @return the ended job
	 */
	JsonNode train(String model, int epochs) throws Exception {
		HttpResponse<String> accepted = post("/train", reversalJob(model, epochs));
		if (accepted.statusCode() != 202) {
			throw new AssertionError("POST /train answered " + accepted.statusCode() + ": " + accepted.body());
		}
		return waitForEnd(accepted.headers().firstValue("Location").orElseThrow());
	}

	/**
	 * Waits for a job to end.
	 * @param location the job's path
	 * @return the ended job
	 */
	JsonNode waitForEnd(String location) throws Exception {
		long until = System.nanoTime() + Duration.ofMinutes(2).toNanos();
		while (System.nanoTime() < until) {
			JsonNode job = json(get(location));
			String state = job.get("state").stringValue();
			if (!state.equals("QUEUED") && !state.equals("RUNNING")) {
				return job;
			}
			Thread.sleep(50);
		}
		throw new AssertionError("Job " + location + " did not end in time");
	}

}
