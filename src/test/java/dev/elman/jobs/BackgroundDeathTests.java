package dev.elman.jobs;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.elman.TestCorpora;
import dev.elman.TestFolders;
import dev.elman.TestModels;
import dev.elman.background.SupervisedLoop;
import dev.elman.model.Seq2SeqModel;
import dev.elman.registry.ModelRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Background threads killed by an error anywhere in their code, as {@link Thread#stop()}
 * does (an error thrown while handling an error would too): the service's own loops come
 * back and their work goes on; a library thread that stays dead turns health DOWN, in the
 * liveness group, so the orchestrator restarts the service.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BackgroundDeathTests {

	private static final Path dataDir = TestFolders.temporary("background-death");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@DynamicPropertySource
	static void settings(DynamicPropertyRegistry registry) {
		registry.add("elman.data-dir", () -> dataDir.toString());
		registry.add("elman.jobs.polling-interval", () -> "100ms");
		registry.add("elman.generation.workers", () -> "1");
		registry.add("elman.registry.scan-interval", () -> "100ms");
	}

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Autowired
	private ModelRegistry registry;

	@Autowired
	private JobEventStream events;

	@Test
	void theServicesOwnLoopsComeBackAndGoOn() throws Exception {
		try (Seq2SeqModel model = TestModels.untrained(3)) {
			this.registry.publish("survivor", model, Map.of());
		}
		// The generation workers are tested on their own (GenerationServiceTests): they
		// block in a queue, where an asynchronous error is no real fault.
		// This context's loops: other test contexts in this JVM run loops of the same
		// names.
		Map<String, SupervisedLoop> loops = Map.of("jobEvents", this.events.ticker(), "registryScan",
				(SupervisedLoop) this.registry.scanning());
		for (String name : List.of("jobEvents", "registryScan")) {
			SupervisedLoop loop = loops.get(name);
			Thread victim = loop.thread();
			kill(victim);
			await().atMost(Duration.ofSeconds(10)).until(() -> loop.thread() != victim && loop.thread().isAlive());
			assertThat(loopState(name).path("restarts").asLong()).isEqualTo(1);
		}
		assertThat(background().get("status").stringValue()).isEqualTo("UP");
		// The work goes on: a generation is answered, a job's events flow.
		HttpResponse<String> generated = post("/generate", "{\"model\":\"survivor\",\"inputs\":[\"abc\"]}");
		assertThat(generated.statusCode()).isEqualTo(200);
		HttpResponse<String> accepted = post("/train", TestCorpora.additionJobRequest("after-death", 200, 2));
		String location = accepted.headers().firstValue("Location").orElseThrow();
		HttpResponse<String> events = this.http
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + location + "/events"))
				.timeout(Duration.ofMinutes(1))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(events.body()).contains("event:end").contains("\"state\":\"SUCCEEDED\"");
	}

	/**
	 * Kills a loop's thread in its pause between two rounds, where it holds no lock: the
	 * death of a thread, not a corruption of what it was doing.
	 */
	@SuppressWarnings({ "deprecation", "removal" })
	private static void kill(Thread thread) throws InterruptedException {
		await().atMost(Duration.ofSeconds(10)).until(() -> isPausing(thread));
		thread.stop();
		thread.join(5000);
		assertThat(thread.isAlive()).as("%s is dead", thread.getName()).isFalse();
	}

	private static boolean isPausing(Thread thread) {
		return thread.getState() == Thread.State.TIMED_WAITING && java.util.Arrays.stream(thread.getStackTrace())
			.anyMatch((frame) -> frame.getMethodName().equals("pause"));
	}

	private JsonNode loopState(String name) throws Exception {
		JsonNode details = background().get("details");
		if (details.has(name)) {
			return details.get(name);
		}
		throw new AssertionError("No loop " + name + " in " + details);
	}

	private JsonNode background() throws Exception {
		return JSON.readTree(get("/actuator/health").body()).at("/components/backgroundWork");
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(String path, String json) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

}
