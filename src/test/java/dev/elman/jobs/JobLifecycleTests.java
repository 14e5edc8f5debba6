package dev.elman.jobs;

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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.elman.TestCorpora;
import dev.elman.TestFolders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.atMost;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.verify;

/**
 * Jobs through restarts and watchers through their whole life: graceful stops that do not
 * use up a job's attempts, event streams that are bounded, kept alive, forgotten when
 * their client leaves and completed when the service stops.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class JobLifecycleTests {

	private static final Path dataDir = TestFolders.temporary("job-lifecycle");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final int MAX_STREAMS = 4;

	@DynamicPropertySource
	static void settings(DynamicPropertyRegistry registry) {
		registry.add("elman.data-dir", () -> dataDir.toString());
		registry.add("elman.jobs.max-attempts", () -> "1");
		registry.add("elman.jobs.max-event-streams", () -> Integer.toString(MAX_STREAMS));
		registry.add("elman.jobs.event-keep-alive", () -> "300ms");
	}

	private final HttpClient http = HttpClient.newHttpClient();

	private final List<InputStream> streams = new ArrayList<>();

	private final List<String> jobs = new ArrayList<>();

	@LocalServerPort
	private int port;

	@Autowired
	private TrainingQueue queue;

	@Autowired
	private JobEventStream events;

	@MockitoSpyBean
	private JobRepository repository;

	@AfterEach
	void cleanUp() throws Exception {
		for (InputStream stream : this.streams) {
			stream.close();
		}
		for (String job : this.jobs) {
			post(job + "/cancel", "");
		}
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.jobs.stream().allMatch((job) -> state(job).matches("CANCELLED|SUCCEEDED|FAILED")));
		// The next test starts with every place free.
		await().atMost(Duration.ofSeconds(30)).until(() -> this.events.openStreams() == 0);
	}

	@Test
	void gracefulStopsDoNotUseUpAJobsAttempts() throws Exception {
		String job = submit(TestCorpora.additionJobRequest("restarted", 4000, 40));
		// Three rolling restarts, with max-attempts at 1: each stops the job gracefully.
		for (int restart = 1; restart <= 3; restart++) {
			int epoch = restart;
			await().atMost(Duration.ofMinutes(1)).until(() -> get(job).path("progress").path("epoch").asInt() >= epoch);
			this.queue.stop();
			this.queue.start();
		}
		await().atMost(Duration.ofMinutes(2)).until(() -> state(job).matches("SUCCEEDED|FAILED"));
		JsonNode done = get(job);
		assertThat(done.get("state").stringValue()).as(done.toString()).isEqualTo("SUCCEEDED");
		assertThat(done.get("attempts").intValue()).isEqualTo(4);
		assertThat(done.get("history")).hasSize(40);
	}

	@Test
	void streamsAreBoundedKeptAliveAndReadTheirJobOnceATick() throws Exception {
		submit(TestCorpora.additionJobRequest("blocker", 20_000, 50));
		String queued = submit(TestCorpora.additionJobRequest("waiting", 100, 1));
		List<BufferedReader> readers = new ArrayList<>();
		for (int i = 0; i < MAX_STREAMS; i++) {
			readers.add(watch(queued));
		}
		assertThat(readers.get(0).readLine()).isEqualTo("event:job");
		// Idle, the stream gets comments, which carry no event.
		String line;
		do {
			line = readers.get(0).readLine();
		}
		while (line != null && !line.startsWith(":"));
		assertThat(line).isEqualTo(":keep-alive");

		HttpResponse<String> refused = this.http.send(HttpRequest.newBuilder(uri(queued + "/events")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(refused.statusCode()).isEqualTo(429);
		assertThat(refused.headers().firstValue("Retry-After")).isPresent();
		assertThat(JSON.readTree(refused.body()).get("type").stringValue()).endsWith("/too-many-requests");

		// Four watchers, one read of the job per tick: about 8 in two seconds, not 32.
		String id = queued.substring(queued.lastIndexOf('/') + 1);
		clearInvocations(this.repository);
		Thread.sleep(2000);
		verify(this.repository, atMost(14)).findSummary(eq(id));
		verify(this.repository, atMost(14)).epochs(eq(id), org.mockito.ArgumentMatchers.anyInt());
	}

	@Test
	void aClientThatLeavesIsForgottenAndItsPlaceFreed() throws Exception {
		submit(TestCorpora.additionJobRequest("blocker2", 20_000, 50));
		String queued = submit(TestCorpora.additionJobRequest("waiting2", 100, 1));
		for (int i = 0; i < MAX_STREAMS; i++) {
			watch(queued).readLine();
		}
		assertThat(this.events.openStreams()).isEqualTo(MAX_STREAMS);
		for (InputStream stream : this.streams) {
			stream.close();
		}
		this.streams.clear();
		// The keep-alives find the connections closed.
		await().atMost(Duration.ofSeconds(10)).until(() -> this.events.openStreams() == 0);
		assertThat(watch(queued).readLine()).isEqualTo("event:job");
	}

	@Test
	void stoppingTheServiceCompletesEveryStreamAndRefusesNewOnes() throws Exception {
		submit(TestCorpora.additionJobRequest("blocker3", 20_000, 50));
		String queued = submit(TestCorpora.additionJobRequest("waiting3", 100, 1));
		BufferedReader first = watch(queued);
		BufferedReader second = watch(queued);
		first.readLine();
		second.readLine();
		try {
			long started = System.nanoTime();
			this.events.stop();
			assertThat(readToEnd(first)).contains("retry:1000");
			readToEnd(second);
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
			assertThat(this.events.openStreams()).isZero();
			HttpResponse<String> refused = this.http.send(HttpRequest.newBuilder(uri(queued + "/events")).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(refused.statusCode()).isEqualTo(503);
			assertThat(JSON.readTree(refused.body()).get("type").stringValue()).endsWith("/shutting-down");
		}
		finally {
			this.events.start();
		}
	}

	private String submit(String body) throws Exception {
		HttpResponse<String> accepted = this.http.send(HttpRequest.newBuilder(uri("/train"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
		String location = accepted.headers().firstValue("Location").orElseThrow();
		this.jobs.add(location);
		return location;
	}

	private BufferedReader watch(String job) throws Exception {
		HttpResponse<InputStream> response = this.http.send(HttpRequest.newBuilder(uri(job + "/events")).build(),
				HttpResponse.BodyHandlers.ofInputStream());
		assertThat(response.statusCode()).isEqualTo(200);
		this.streams.add(response.body());
		return new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
	}

	private static String readToEnd(BufferedReader reader) throws IOException {
		StringBuilder all = new StringBuilder();
		String line;
		while ((line = reader.readLine()) != null) {
			all.append(line).append('\n');
		}
		return all.toString();
	}

	private JsonNode get(String path) {
		try {
			return JSON.readTree(
					this.http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString())
						.body());
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private String state(String job) {
		return get(job).get("state").stringValue();
	}

	private void post(String path, String body) throws Exception {
		this.http.send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
				HttpResponse.BodyHandlers.discarding());
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

}
