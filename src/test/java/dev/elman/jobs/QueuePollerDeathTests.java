package dev.elman.jobs;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

import dev.elman.TestFolders;
import org.junit.jupiter.api.Test;
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
 * db-scheduler's poller catches what its rounds throw, but not an error between them (or
 * one thrown while it logs the last): then it is gone for good, queued jobs wait for
 * ever, and only a restart helps. Liveness says so.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class QueuePollerDeathTests {

	private static final Path dataDir = TestFolders.temporary("poller-death");

	@DynamicPropertySource
	static void settings(DynamicPropertyRegistry registry) {
		registry.add("elman.data-dir", () -> dataDir.toString());
		registry.add("elman.jobs.polling-interval", () -> "100ms");
	}

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Autowired
	private TrainingQueue queue;

	@Test
	@SuppressWarnings({ "deprecation", "removal" })
	void aDeadQueuePollerTurnsLivenessDown() throws Exception {
		assertThat(liveness().statusCode()).isEqualTo(200);
		Thread poller = this.queue.poller();
		// Between two rounds: the thread is the pool's and lives on, the polling loop it
		// ran is over.
		await().atMost(Duration.ofSeconds(10))
			.until(() -> poller.getState() == Thread.State.TIMED_WAITING && Arrays.stream(poller.getStackTrace())
				.anyMatch((frame) -> frame.getClassName().endsWith("Waiter")));
		poller.stop();
		await().atMost(Duration.ofSeconds(20)).until(() -> liveness().statusCode() == 503);
		JsonNode state = JsonMapper.builder()
			.build()
			.readTree(liveness().body())
			.at("/components/backgroundWork/details/trainingQueuePolling");
		assertThat(state.get("status").stringValue()).isEqualTo("DOWN");
		assertThat(state.get("error").stringValue()).contains("not picked up");
	}

	private HttpResponse<String> liveness() throws Exception {
		return this.http
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/actuator/health/liveness"))
				.build(), HttpResponse.BodyHandlers.ofString());
	}

}
