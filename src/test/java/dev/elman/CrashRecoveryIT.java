package dev.elman;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged service, killed with SIGKILL in the middle of a training job and started
 * again on the same data folder, finishes the job from its last epoch checkpoint.
 */
class CrashRecoveryIT {

	private final List<PackagedService> services = new ArrayList<>();

	@AfterEach
	void stopEverything() {
		this.services.forEach((service) -> service.process().destroyForcibly());
	}

	@Test
	void aJobKilledMidTrainingResumesFromItsCheckpointAfterARestart() throws Exception {
		Path data = TestFolders.temporary("crash");
		int epochs = 40;
		PackagedService first = start(data, "first");
		var accepted = first.post("/train", TestCorpora.additionJobRequest("survivor", 20_000, epochs));
		assertThat(accepted.statusCode()).isEqualTo(202);
		String location = accepted.headers().firstValue("Location").orElseThrow();
		JsonNode running = first.waitForJob(location, (job) -> job.get("history").size() >= 3);
		assertThat(running.get("state").stringValue()).isEqualTo("RUNNING");

		assertThat(first.kill()).isEqualTo(137);

		PackagedService second = start(data, "second");
		JsonNode done = second.waitForJob(location, (job) -> !job.get("state").stringValue().equals("RUNNING")
				&& !job.get("state").stringValue().equals("QUEUED"));
		assertThat(done.get("state").stringValue()).isEqualTo("SUCCEEDED");
		assertThat(done.get("attempts").intValue()).isEqualTo(2);
		assertThat(done.get("resumedAfterEpoch").intValue()).isGreaterThanOrEqualTo(3);
		List<Integer> history = new ArrayList<>();
		done.get("history").forEach((epoch) -> history.add(epoch.get("epoch").intValue()));
		assertThat(history).hasSize(epochs).isSorted().doesNotHaveDuplicates();
		var generated = second.post("/generate", "{\"model\":\"survivor\",\"inputs\":[\"1+2\"]}");
		assertThat(generated.statusCode()).isEqualTo(200);
	}

	private PackagedService start(Path data, String name) throws Exception {
		PackagedService service = PackagedService.start(data, name);
		this.services.add(service);
		return service;
	}

}
