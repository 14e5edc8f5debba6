package dev.elman;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.elman.corpus.TextPair;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Training jobs over real HTTP: train, watch the event stream, generate; cancel;
 * idempotency; uploads.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class JobsApplicationTests {

	private static final Path dataDir = TestFolders.temporary("jobs-app");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@DynamicPropertySource
	static void settings(DynamicPropertyRegistry registry) {
		registry.add("elman.data-dir", () -> dataDir.toString());
		registry.add("spring.servlet.multipart.max-file-size", () -> "64KB");
		registry.add("spring.servlet.multipart.max-request-size", () -> "70KB");
		registry.add("elman.instance-id", () -> "replica-a");
	}

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	private static String reversalRequest(String name, int epochs) {
		List<Map<String, String>> pairs = new ArrayList<>();
		for (TextPair pair : TestCorpora.tinyReversal()) {
			pairs.add(Map.of("source", pair.source(), "target", pair.target()));
		}
		return JSON.writeValueAsString(Map.of("name", name, "pairs", pairs, "hiddenSize", 64, "epochs", epochs,
				"batchSize", 16, "learningRate", 0.01, "validationFraction", 0.2));
	}

	@Test
	void trainsWhileTheEventStreamShowsProgressThenServesTheModel() throws Exception {
		HttpResponse<String> accepted = post("/train", reversalRequest("watched", 120), null);
		assertThat(accepted.statusCode()).isEqualTo(202);
		String location = accepted.headers().firstValue("Location").orElseThrow();
		JsonNode job = JSON.readTree(accepted.body());
		assertThat(location).isEqualTo("/jobs/" + job.get("id").stringValue());

		List<String[]> events = new ArrayList<>();
		HttpRequest watch = HttpRequest.newBuilder(uri(location + "/events"))
			.header("Accept", "text/event-stream")
			.timeout(Duration.ofMinutes(2))
			.build();
		HttpResponse<InputStream> stream = this.http.send(watch, HttpResponse.BodyHandlers.ofInputStream());
		assertThat(stream.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
		try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
			String name = null;
			String line;
			while ((line = lines.readLine()) != null) {
				if (line.startsWith("event:")) {
					name = line.substring(6);
				}
				else if (line.startsWith("data:")) {
					events.add(new String[] { name, line.substring(5) });
				}
			}
		}
		List<String> names = events.stream().map((event) -> event[0]).toList();
		assertThat(names.get(0)).isEqualTo("job");
		assertThat(names).contains("progress");
		assertThat(names.get(names.size() - 1)).isEqualTo("end");
		List<Integer> epochs = events.stream()
			.filter((event) -> event[0].equals("epoch"))
			.map((event) -> JSON.readTree(event[1]).get("epoch").intValue())
			.toList();
		assertThat(epochs).hasSize(120).isSorted().doesNotHaveDuplicates();
		JsonNode end = JSON.readTree(events.get(events.size() - 1)[1]);
		assertThat(end.get("state").stringValue()).isEqualTo("SUCCEEDED");
		assertThat(end.get("result").get("version").intValue()).isEqualTo(1);

		HttpResponse<String> generated = post("/generate", "{\"model\":\"watched\",\"inputs\":[\"abc\",\"dea\"]}",
				null);
		assertThat(generated.statusCode()).isEqualTo(200);
		assertThat(generated.body()).contains("\"text\":\"cba\"", "\"text\":\"aed\"");
		HttpResponse<String> manifest = get("/models/watched/versions/1");
		assertThat(manifest.body()).contains("\"job\":\"" + job.get("id").stringValue() + "\"", "\"corpus\"");
		assertThat(JSON.readTree(get(location).body()).get("replica").stringValue()).isEqualTo("replica-a");
	}

	@Test
	void theReplicaThatAnswersSaysItsNameInInfoHealthAndEveryMetric() throws Exception {
		assertThat(JSON.readTree(get("/actuator/info").body()).at("/replica/id").stringValue()).isEqualTo("replica-a");
		assertThat(JSON.readTree(get("/actuator/health").body()).at("/components/replica/details/id").stringValue())
			.isEqualTo("replica-a");
		List<String> samples = get("/actuator/prometheus").body()
			.lines()
			.filter((line) -> !line.startsWith("#") && !line.isBlank())
			.toList();
		assertThat(samples).isNotEmpty().allSatisfy((line) -> assertThat(line).contains("replica=\"replica-a\""));
	}

	@Test
	void aCancelledJobStopsWithinAStepAndPublishesNothing() throws Exception {
		HttpResponse<String> accepted = post("/train", reversalRequest("cancelled", 5000), null);
		String location = accepted.headers().firstValue("Location").orElseThrow();
		JsonNode job = waitFor(location, (state) -> state.get("progress") != null);
		assertThat(job.get("state").stringValue()).isEqualTo("RUNNING");
		HttpResponse<String> cancel = post(location + "/cancel", "", null);
		assertThat(cancel.statusCode()).isIn(200, 202);
		long requested = System.nanoTime();
		JsonNode ended = waitFor(location, (state) -> state.get("state").stringValue().equals("CANCELLED"));
		assertThat(Duration.ofNanos(System.nanoTime() - requested)).isLessThan(Duration.ofSeconds(3));
		assertThat(ended.get("result")).isNull();
		assertThat(get("/models/cancelled").statusCode()).isEqualTo(404);
		assertThat(dataDir.resolve("jobs").resolve(ended.get("id").stringValue())).doesNotExist();
		HttpResponse<String> again = post(location + "/cancel", "", null);
		assertThat(again.statusCode()).isEqualTo(200);
	}

	@Test
	void twoRequestsWithOneIdempotencyKeyMakeOneJob() throws Exception {
		String body = reversalRequest("once", 2);
		CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() -> postQuietly(body, "key-7"));
		CompletableFuture<HttpResponse<String>> second = CompletableFuture
			.supplyAsync(() -> postQuietly(body, "key-7"));
		String firstLocation = first.get().headers().firstValue("Location").orElseThrow();
		assertThat(second.get().headers().firstValue("Location")).hasValue(firstLocation);
		JsonNode jobs = JSON.readTree(get("/jobs?model=once").body());
		assertThat(jobs.get("total").intValue()).isEqualTo(1);
		waitFor(firstLocation, (state) -> state.get("state").stringValue().equals("SUCCEEDED"));
	}

	@Test
	void trainsFromAnUploadedFileAndRefusesAnUploadThatIsTooLarge() throws Exception {
		StringBuilder corpus = new StringBuilder();
		for (TextPair pair : TestCorpora.tinyReversal()) {
			corpus.append(pair.source()).append('\t').append(pair.target()).append('\n');
		}
		HttpResponse<String> accepted = upload(corpus.toString(), "{\"name\":\"uploaded\",\"epochs\":2}");
		assertThat(accepted.statusCode()).isEqualTo(202);
		assertThat(accepted.body()).contains("\"pairs\":125");
		waitFor(accepted.headers().firstValue("Location").orElseThrow(),
				(state) -> state.get("state").stringValue().equals("SUCCEEDED"));
		HttpResponse<String> tooLarge = upload("a\tb\n".repeat(20_000), "{\"name\":\"big\"}");
		assertThat(tooLarge.statusCode()).isEqualTo(413);
		assertThat(tooLarge.headers().firstValue("Content-Type")).hasValue("application/problem+json");
	}

	@Test
	void listsJobsNewestFirstAndFiltersThem() throws Exception {
		String first = post("/train", reversalRequest("listed", 1), null).headers()
			.firstValue("Location")
			.orElseThrow();
		String second = post("/train", reversalRequest("listed", 1), null).headers()
			.firstValue("Location")
			.orElseThrow();
		waitFor(second, (state) -> state.get("state").stringValue().equals("SUCCEEDED"));
		JsonNode page = JSON.readTree(get("/jobs?model=listed&size=1").body());
		assertThat(page.get("total").intValue()).isEqualTo(2);
		assertThat(page.get("items").get(0).get("id").stringValue()).isEqualTo(second.substring(6));
		JsonNode next = JSON.readTree(get("/jobs?model=listed&size=1&page=1").body());
		assertThat(next.get("items").get(0).get("id").stringValue()).isEqualTo(first.substring(6));
		JsonNode running = JSON.readTree(get("/jobs?model=listed&state=RUNNING").body());
		assertThat(running.get("total").intValue()).isZero();
	}

	private JsonNode waitFor(String location, java.util.function.Predicate<JsonNode> condition) throws Exception {
		long until = System.nanoTime() + Duration.ofMinutes(2).toNanos();
		while (System.nanoTime() < until) {
			JsonNode job = JSON.readTree(get(location).body());
			if (condition.test(job)) {
				return job;
			}
			Thread.sleep(20);
		}
		throw new AssertionError("Job " + location + " did not reach the expected state");
	}

	private HttpResponse<String> upload(String corpus, String options) throws Exception {
		String boundary = "elman-test-boundary";
		String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"options\"\r\n"
				+ "Content-Type: application/json\r\n\r\n" + options + "\r\n--" + boundary
				+ "\r\nContent-Disposition: form-data; name=\"corpus\"; filename=\"corpus.tsv\"\r\n"
				+ "Content-Type: text/plain\r\n\r\n" + corpus + "\r\n--" + boundary + "--\r\n";
		HttpRequest request = HttpRequest.newBuilder(uri("/train"))
			.header("Content-Type", "multipart/form-data; boundary=" + boundary)
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> postQuietly(String body, String key) {
		try {
			return post("/train", body, key);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private HttpResponse<String> post(String path, String json, String idempotencyKey) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json));
		if (idempotencyKey != null) {
			request.header("Idempotency-Key", idempotencyKey);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

}
