package dev.elman;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.elman.testdb.PostgresServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two replicas of the packaged service on one PostgreSQL and one shared data folder, as
 * the README's scale-out describes: jobs run once each wherever they are submitted, a
 * replica killed mid-job has its job finished by the other, and what one publishes,
 * aliases or deletes the other sees within its registry scan.
 */
class ClusterIT {

	private static final Duration SCAN_INTERVAL = Duration.ofMillis(500);

	private final List<PackagedService> replicas = new ArrayList<>();

	private PostgresServer postgres;

	private PostgresServer.Database database;

	private Path data;

	@BeforeEach
	void startDatabase() {
		this.postgres = PostgresServer.start();
		this.database = this.postgres.newDatabase();
		this.data = TestFolders.temporary("cluster");
	}

	@AfterEach
	void stopEverything() {
		this.replicas.forEach((replica) -> replica.process().destroyForcibly());
		this.postgres.stop();
	}

	@Test
	void jobsRunOnceEachOnEitherReplicaAndWhatOnePublishesTheOtherServes() throws Exception {
		PackagedService a = start("a");
		PackagedService b = start("b");

		// Four jobs, two through each replica; two of them publish one model at once.
		List<String> jobs = new ArrayList<>();
		jobs.add(submit(a, TestCorpora.additionJobRequest("left", 2_000, 3)));
		jobs.add(submit(b, TestCorpora.additionJobRequest("right", 2_000, 3)));
		jobs.add(submit(a, TestCorpora.additionJobRequest("shared", 2_000, 3)));
		jobs.add(submit(b, TestCorpora.additionJobRequest("shared", 2_000, 3)));
		// The first model appears on the replica that did not train it within a scan or
		// so.
		JsonNode first = a.waitForJob(jobs.get(0), ClusterIT::isFinished);
		PackagedService other = first.get("replica").stringValue().equals("a") ? b : a;
		long published = System.nanoTime();
		waitUntil(other + " serves the model the other published",
				() -> generate(other, "{\"model\":\"left\",\"inputs\":[\"1+2\"]}") == 200);
		System.out.printf(
				"a version published on one replica was served by the other %d ms after its job "
						+ "was seen to succeed (scan interval %d ms)%n",
				Duration.ofNanos(System.nanoTime() - published).toMillis(), SCAN_INTERVAL.toMillis());
		Set<String> ranOn = new HashSet<>();
		Set<Integer> sharedVersions = new HashSet<>();
		for (String location : jobs) {
			JsonNode done = a.waitForJob(location, ClusterIT::isFinished);
			assertThat(done.get("state").stringValue()).as(location).isEqualTo("SUCCEEDED");
			// A job started twice (say, picked by both replicas) would count two
			// attempts.
			assertThat(done.get("attempts").intValue()).as(location).isEqualTo(1);
			assertThat(epochs(done)).containsExactly(1, 2, 3);
			ranOn.add(done.get("replica").stringValue());
			if (done.get("model").stringValue().equals("shared")) {
				sharedVersions.add(done.at("/result/version").intValue());
			}
		}
		assertThat(ranOn).containsExactlyInAnyOrder("a", "b");
		assertThat(sharedVersions).containsExactlyInAnyOrder(1, 2);

		// Every model is served by both replicas, whichever published it.
		for (PackagedService replica : List.of(a, b)) {
			for (String model : List.of("left", "right", "shared")) {
				waitUntil(replica + " serves " + model,
						() -> generate(replica, "{\"model\":\"" + model + "\",\"inputs\":[\"1+2\"]}") == 200);
			}
			// The second publication reaches it at its next scan.
			waitUntil(replica + " lists both versions of shared",
					() -> PackagedService.JSON.readTree(replica.get("/models/shared").body())
						.get("versions")
						.size() == 2);
		}

		// An alias moved on one replica is seen by the other.
		assertThat(a.send("PUT", "/models/shared/aliases/production", "{\"version\":1}").statusCode()).isEqualTo(200);
		long moved = System.nanoTime();
		waitUntil("b resolves the alias", () -> versionServed(b,
				"{\"model\":\"shared\",\"alias\":\"production\"," + "\"inputs\":[\"1+2\"]}") == 1);
		System.out.printf("alias seen by the other replica after %d ms (scan interval %d ms)%n",
				Duration.ofNanos(System.nanoTime() - moved).toMillis(), SCAN_INTERVAL.toMillis());

		// Deleting the version b serves, on a, while b answers requests for the model:
		// none
		// fails, and b moves to the version that is left.
		String latest = "{\"model\":\"shared\",\"inputs\":[\"12+34\"]}";
		assertThat(versionServed(b, latest)).isEqualTo(2);
		GenerateLoad load = GenerateLoad.start(4, () -> generate(b, latest));
		Thread.sleep(300);
		assertThat(a.send("DELETE", "/models/shared/versions/2", null).statusCode()).isEqualTo(204);
		waitUntil("b serves version 1", () -> versionServed(b, latest) == 1);
		Thread.sleep(300);
		load.stopAndAssertNoFailures("on b while a deleted the version it served");
	}

	@Test
	void aReplicaKilledMidJobHasItsJobResumedByTheOtherFromTheLastCheckpoint() throws Exception {
		PackagedService a = start("a");
		PackagedService b = start("b");
		int epochs = 12;
		String location = submit(a, TestCorpora.additionJobRequest("survivor", 20_000, epochs));
		JsonNode running = a.waitForJob(location, (job) -> job.get("history").size() >= 3);
		assertThat(running.get("state").stringValue()).isEqualTo("RUNNING");
		PackagedService runner = running.get("replica").stringValue().equals("a") ? a : b;
		PackagedService survivor = (runner == a) ? b : a;

		assertThat(runner.kill()).isEqualTo(137);
		long killed = System.nanoTime();
		JsonNode resumed = survivor.waitForJob(location,
				(job) -> job.get("attempts").intValue() == 2 && job.get("state").stringValue().equals("RUNNING"));
		System.out.printf("job taken over %d ms after the SIGKILL%n",
				Duration.ofNanos(System.nanoTime() - killed).toMillis());
		assertThat(resumed.get("replica").stringValue()).isNotEqualTo(running.get("replica").stringValue());

		JsonNode done = survivor.waitForJob(location, ClusterIT::isFinished);
		assertThat(done.get("state").stringValue()).isEqualTo("SUCCEEDED");
		assertThat(done.get("attempts").intValue()).isEqualTo(2);
		assertThat(done.get("resumedAfterEpoch").intValue()).isGreaterThanOrEqualTo(3);
		// Continuous: every epoch once, the resumed run going on from the checkpoint's.
		assertThat(epochs(done)).hasSize(epochs).isSorted().doesNotHaveDuplicates();
		assertThat(generate(survivor, "{\"model\":\"survivor\",\"inputs\":[\"1+2\"]}")).isEqualTo(200);
	}

	private PackagedService start(String name) throws Exception {
		PackagedService replica = PackagedService.start(this.data, name, "--elman.instance-id=" + name,
				"--spring.datasource.url=" + this.database.url(),
				"--spring.datasource.username=" + this.database.user(),
				"--spring.datasource.password=" + this.database.password(),
				"--elman.registry.scan-interval=" + SCAN_INTERVAL.toMillis() + "ms");
		this.replicas.add(replica);
		return replica;
	}

	private static String submit(PackagedService replica, String request) throws Exception {
		HttpResponse<String> accepted = replica.post("/train", request);
		assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
		return accepted.headers().firstValue("Location").orElseThrow();
	}

	private static boolean isFinished(JsonNode job) {
		return !job.get("state").stringValue().equals("RUNNING") && !job.get("state").stringValue().equals("QUEUED");
	}

	private static List<Integer> epochs(JsonNode job) {
		List<Integer> epochs = new ArrayList<>();
		job.get("history").forEach((epoch) -> epochs.add(epoch.get("epoch").intValue()));
		return epochs;
	}

	private static int generate(PackagedService replica, String request) throws Exception {
		return replica.post("/generate", request).statusCode();
	}

	private static int versionServed(PackagedService replica, String request) throws Exception {
		HttpResponse<String> response = replica.post("/generate", request);
		return (response.statusCode() == 200) ? PackagedService.JSON.readTree(response.body()).get("version").intValue()
				: -1;
	}

	private static void waitUntil(String what, Check check) throws Exception {
		long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (!check.holds()) {
			if (System.nanoTime() > until) {
				throw new AssertionError("Timed out waiting until " + what);
			}
			Thread.sleep(50);
		}
	}

	@FunctionalInterface
	private interface Check {

		boolean holds() throws Exception;

	}

}
