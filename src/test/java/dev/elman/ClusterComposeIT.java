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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static dev.elman.ComposeProject.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docker-compose.cluster.yml}: PostgreSQL, two replicas on one data volume,
 * HAProxy in front and Prometheus scraping each. Through the balancer a job trains while
 * its event stream is watched, and generation goes on without one failed request while a
 * replica is killed with {@code docker kill}, and again while each replica in turn is
 * restarted gracefully (a rolling restart); the jobs those replicas ran finish on the
 * other or after the restart.
 */
class ClusterComposeIT {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String GENERATE = "{\"model\":\"adder\",\"inputs\":[\"12+34\",\"5+6\"]}";

	private final ComposeProject compose = new ComposeProject("docker-compose.cluster.yml");

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private int port;

	@AfterEach
	void takeItDown() throws Exception {
		this.compose.down();
	}

	@Test
	void throughTheBalancerNoRequestFailsWhenAReplicaIsKilledOrRestartedAndJobsFinishElsewhere() throws Exception {
		this.port = PackagedService.freePort();
		int prometheusPort = PackagedService.freePort();
		this.compose.with("ELMAN_PORT", Integer.toString(this.port))
			.with("PROMETHEUS_PORT", Integer.toString(prometheusPort));
		assertThat(this.compose.run(Duration.ofMinutes(1), "config", "--quiet")).isEmpty();
		this.compose.run(Duration.ofMinutes(6), "up", "--detach", "--build");
		for (String service : List.of("postgres", "elman-1", "elman-2", "balancer", "prometheus")) {
			waitUntil(Duration.ofMinutes(3), service + " is healthy",
					() -> this.compose.health(service).equals("healthy"));
		}

		// Both replicas answer through the balancer, and Prometheus scrapes each.
		Set<String> answering = new HashSet<>();
		for (int i = 0; i < 8; i++) {
			answering.add(JSON.readTree(get("/actuator/info").body()).at("/replica/id").stringValue());
		}
		assertThat(answering).containsExactlyInAnyOrder("elman-1", "elman-2");
		waitUntil(Duration.ofMinutes(2), "Prometheus has scraped both replicas", () -> {
			JsonNode result = JSON.readTree(getFrom(prometheusPort, "/api/v1/query?query=elman_registry_models").body())
				.at("/data/result");
			Set<String> replicas = new HashSet<>();
			result.forEach((series) -> replicas.add(series.at("/metric/replica").stringValue()));
			return replicas.equals(Set.of("elman-1", "elman-2"));
		});

		// Train through the balancer while watching the job's event stream to its end.
		String adder = submit(TestCorpora.additionJobRequest("adder", 2_000, 3));
		List<String> events = watch(adder);
		assertThat(events).first().isEqualTo("job");
		assertThat(events).contains("epoch").last().isEqualTo("end");
		assertThat(waitForJob(adder).get("state").stringValue()).isEqualTo("SUCCEEDED");
		// Each replica, asked directly, has seen the model (at its next registry scan).
		for (String replica : List.of("elman-1", "elman-2")) {
			String models = "http://" + this.compose.address(replica) + ":8080/models/adder";
			waitUntil(Duration.ofSeconds(30), replica + " has the model",
					() -> this.http
						.send(HttpRequest.newBuilder(URI.create(models)).build(),
								HttpResponse.BodyHandlers.discarding())
						.statusCode() == 200);
		}

		// Kill the replica training a job, under 32 clients' generation load.
		String survivorJob = submit(TestCorpora.additionJobRequest("survivor", 20_000, 12));
		JsonNode running = waitForJob(survivorJob, (job) -> job.get("history").size() >= 2);
		String victim = running.get("replica").stringValue();
		GenerateLoad kill = GenerateLoad.start(32, () -> post("/generate", GENERATE).statusCode());
		Thread.sleep(500);
		DockerClientFactory.instance().client().killContainerCmd(this.compose.containerOf(victim)).exec();
		Thread.sleep(5000);
		kill.stopAndAssertNoFailures("while " + victim + " was killed");
		JsonNode survived = waitForJob(survivorJob);
		assertThat(survived.get("state").stringValue()).isEqualTo("SUCCEEDED");
		assertThat(survived.get("attempts").intValue()).isEqualTo(2);
		assertThat(survived.get("replica").stringValue()).isNotEqualTo(victim);

		// Bring it back, then restart each replica in turn while a job trains.
		this.compose.run(Duration.ofMinutes(1), "start", victim);
		waitUntil(Duration.ofMinutes(3), victim + " is healthy again",
				() -> this.compose.health(victim).equals("healthy"));
		// A job far longer than the restarts: it is running on one of them when they
		// begin.
		String rollingJob = submit(TestCorpora.additionJobRequest("rolling", 20_000, 1_000));
		waitForJob(rollingJob, (job) -> job.get("history").size() >= 1);
		GenerateLoad rolling = GenerateLoad.start(8, () -> post("/generate", GENERATE).statusCode());
		for (String service : List.of("elman-1", "elman-2")) {
			this.compose.run(Duration.ofMinutes(2), "restart", "--timeout", "45", service);
			waitUntil(Duration.ofMinutes(3), service + " is healthy after its restart",
					() -> this.compose.health(service).equals("healthy"));
			// The balancer's checks take it back within a few seconds.
			Thread.sleep(3000);
		}
		rolling.stopAndAssertNoFailures("during the rolling restart");
		// Both replicas were stopped once, so the job was stopped gracefully at least
		// once; it
		// goes on training after the restarts, without a death counted.
		int epochsAfterRestarts = waitForJob(rollingJob, (job) -> job.get("state").stringValue().equals("RUNNING"))
			.get("history")
			.size();
		JsonNode goingOn = waitForJob(rollingJob, (job) -> job.get("history").size() > epochsAfterRestarts);
		assertThat(goingOn.get("state").stringValue()).isEqualTo("RUNNING");
		assertThat(goingOn.get("attempts").intValue()).isGreaterThanOrEqualTo(2);
		assertThat(goingOn.get("resumedAfterEpoch").intValue()).isGreaterThanOrEqualTo(1);
		assertThat(post(rollingJob + "/cancel", "").statusCode()).isIn(200, 202);
		assertThat(waitForJob(rollingJob).get("state").stringValue()).isEqualTo("CANCELLED");
	}

	private String submit(String request) throws Exception {
		HttpResponse<String> accepted = post("/train", request);
		assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
		return accepted.headers().firstValue("Location").orElseThrow();
	}

	private List<String> watch(String job) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(uri(job + "/events"))
			.header("Accept", "text/event-stream")
			.timeout(Duration.ofMinutes(3))
			.build();
		HttpResponse<InputStream> stream = this.http.send(request, HttpResponse.BodyHandlers.ofInputStream());
		assertThat(stream.statusCode()).isEqualTo(200);
		List<String> names = new ArrayList<>();
		try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = lines.readLine()) != null) {
				if (line.startsWith("event:")) {
					names.add(line.substring(6).strip());
				}
			}
		}
		return names;
	}

	private JsonNode waitForJob(String job) throws Exception {
		return waitForJob(job, (state) -> !state.get("state").stringValue().equals("RUNNING")
				&& !state.get("state").stringValue().equals("QUEUED"));
	}

	private JsonNode waitForJob(String job, Predicate<JsonNode> condition) throws Exception {
		long until = System.nanoTime() + Duration.ofMinutes(5).toNanos();
		while (System.nanoTime() < until) {
			HttpResponse<String> response = get(job);
			if (response.statusCode() == 200) {
				JsonNode state = JSON.readTree(response.body());
				if (condition.test(state)) {
					return state;
				}
			}
			Thread.sleep(200);
		}
		throw new AssertionError("Job " + job + " did not reach the expected state in time");
	}

	private HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return getFrom(this.port, path);
	}

	private HttpResponse<String> getFrom(int port, String path) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/json")
			.timeout(Duration.ofSeconds(30))
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

}
