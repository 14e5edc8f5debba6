package dev.elman;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.PruneType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The service's disks fill up, in its Docker image with two small tmpfs: one for the
 * jobs' corpora and checkpoints ({@code /data}), one for the model registry
 * ({@code /models}). Checkpointing and then publishing run out of space: each job ends
 * FAILED with a reason a user understands, no partial or phantom version is ever listed
 * or served, the version published before is still served, health reports the disk, and
 * once space returns a new job succeeds.
 */
class DiskFullIT {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newHttpClient();

	private final String imageName = "elman-disk-it:" + UUID.randomUUID();

	private GenericContainer<?> container;

	@AfterEach
	void removeEverything() {
		if (this.container != null) {
			// The service's log, for a failed run: the test reads only its answers.
			System.out.println(this.container.getLogs());
			this.container.stop();
		}
		DockerClient docker = DockerClientFactory.instance().client();
		docker.removeImageCmd(this.imageName).withForce(true).exec();
		docker.pruneCmd(PruneType.IMAGES).withDangling(true).withLabelFilter("dev.elman.build-stage=layers").exec();
	}

	@Test
	void runningOutOfDiskFailsTheJobCleanlyAndServesWhatWasThere() throws Exception {
		this.container = new GenericContainer<>(image()).withExposedPorts(8080)
			.withTmpFs(Map.of("/data", "rw,size=48m,uid=10001,gid=10001", "/models", "rw,size=24m,uid=10001,gid=10001"))
			// The database and PyTorch's libraries live elsewhere: only the disks of the
			// jobs and of the registry fill up here.
			.withEnv("ENGINE_CACHE_DIR", "/tmp/engine-cache")
			.withEnv("SPRING_DATASOURCE_URL", "jdbc:h2:file:/tmp/db/elman")
			.withEnv("ELMAN_REGISTRY_ROOT", "/models")
			.withEnv("ELMAN_REGISTRY_MIN_FREE_SPACE", "4MB")
			.withEnv("ELMAN_JOBS_MIN_FREE_SPACE", "4MB")
			.waitingFor(Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(3)));
		this.container.start();

		// The data folder is a tmpfs that maps no code: MKL's dispatch library must still
		// load, from the engine cache.
		assertThat(get("/actuator/info").at("/engine/mklKernels").stringValue())
			.matches(MklStatus.LOADED_OR_NOT_NEEDED);

		String first = submit(TestCorpora.additionJobRequest("first", 300, 2));
		assertThat(waitForTheEnd(first).get("state").stringValue()).isEqualTo("SUCCEEDED");
		assertGenerates("first");

		// Checkpoints: the jobs' disk fills up while a job trains.
		String checkpointed = submit(TestCorpora.additionJobRequest("checkpointed", 4000, 40));
		await().atMost(Duration.ofMinutes(2))
			.until(() -> get(checkpointed).path("progress").path("epoch").asInt() >= 2);
		fill("/data");
		JsonNode failed = waitForTheEnd(checkpointed);
		assertFailedForDisk(failed);
		JsonNode health = JSON.readTree(send(request("/actuator/health")).body());
		assertThat(health.at("/components/trainingQueue/status").stringValue()).isEqualTo("DOWN");
		assertThat(health.at("/components/trainingQueue/details/error").stringValue()).contains("free disk");
		// While the disk is full, new jobs are refused up front, to be retried.
		HttpResponse<String> refused = send(request("/train").header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(TestCorpora.additionJobRequest("refused", 10, 1))));
		assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
		assertThat(refused.headers().firstValue("Retry-After")).isPresent();
		assertThat(refused.body()).contains("storage-unavailable").doesNotContain("/data");
		exec("rm", "-f", "/data/filler");

		// Publication: the registry's disk is full when the model is done.
		fill("/models");
		String published = submit(TestCorpora.additionJobRequest("published", 300, 2));
		JsonNode unpublished = waitForTheEnd(published);
		assertFailedForDisk(unpublished);
		assertThat(send(request("/models/published")).statusCode()).isEqualTo(404);
		assertThat(exec("ls", "-A", "/models/.staging").getStdout().trim()).isEmpty();
		JsonNode models = JSON.readTree(send(request("/models")).body());
		assertThat(models).hasSize(1);
		assertThat(models.get(0).get("name").stringValue()).isEqualTo("first");
		assertThat(models.get(0).get("versions")).hasSize(1);
		assertGenerates("first");
		health = JSON.readTree(send(request("/actuator/health")).body());
		assertThat(health.at("/components/registry/status").stringValue()).isEqualTo("DOWN");
		assertThat(health.toString()).doesNotContain("/models").doesNotContain("/data");

		// Space returns: the next job succeeds.
		exec("rm", "-f", "/models/filler");
		String again = submit(TestCorpora.additionJobRequest("published", 300, 2));
		assertThat(waitForTheEnd(again).get("state").stringValue()).isEqualTo("SUCCEEDED");
		assertGenerates("published");
		JsonNode healthy = JSON.readTree(send(request("/actuator/health")).body());
		assertThat(healthy.get("status").stringValue()).as(healthy.toString()).isEqualTo("UP");
	}

	private ImageFromDockerfile image() {
		return new ImageFromDockerfile(this.imageName, false).withFileFromPath("Dockerfile", Path.of("Dockerfile"))
			.withFileFromPath("docker/healthcheck.sh", Path.of("docker/healthcheck.sh"))
			.withFileFromPath("target/elman.jar", Path.of(System.getProperty("elman.jar", "target/elman.jar")))
			.withBuildArg("BASE_IMAGE", System.getProperty("elman.docker.base-image", "eclipse-temurin:17-jre"));
	}

	/** Writes a file until the disk has no space left. */
	private void fill(String mount) throws Exception {
		Container.ExecResult filled = exec("sh", "-c",
				"dd if=/dev/zero of=" + mount + "/filler bs=64k 2>&1; df -k " + mount);
		assertThat(filled.getStdout()).as(filled.getStdout()).contains("No space left on device");
	}

	private static void assertFailedForDisk(JsonNode job) {
		assertThat(job.get("state").stringValue()).as(job.toString()).isEqualTo("FAILED");
		String error = job.get("error").stringValue();
		assertThat(error).contains("disk").contains("full").doesNotContain("/data").doesNotContain("/models");
		assertThat(job.has("result")).isFalse();
	}

	private void assertGenerates(String model) throws Exception {
		HttpResponse<String> generated = send(request("/generate").header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model + "\",\"inputs\":[\"1+2\"]}")));
		assertThat(generated.statusCode()).as(generated.body()).isEqualTo(200);
	}

	private String submit(String body) throws Exception {
		HttpResponse<String> accepted = send(request("/train").header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body)));
		assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
		return accepted.headers().firstValue("Location").orElseThrow();
	}

	private JsonNode waitForTheEnd(String location) throws Exception {
		await().atMost(Duration.ofMinutes(3))
			.until(() -> get(location).get("state").stringValue().matches("SUCCEEDED|FAILED|CANCELLED"));
		return get(location);
	}

	private JsonNode get(String location) throws Exception {
		return JSON.readTree(send(request(location)).body());
	}

	private Container.ExecResult exec(String... command) throws Exception {
		return this.container.execInContainer(command);
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(
				URI.create("http://" + this.container.getHost() + ":" + this.container.getMappedPort(8080) + path));
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
