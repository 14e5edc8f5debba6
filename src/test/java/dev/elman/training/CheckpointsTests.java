package dev.elman.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

import dev.elman.model.ModelSpec;
import dev.elman.model.RecurrentInitialization;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class CheckpointsTests {

	@TempDir
	Path folder;

	@Test
	void theHistoryKeepsTheEpochsItsCheckpointCompletedAndDropsTheRest() throws Exception {
		Checkpoints checkpoints = new Checkpoints(this.folder);
		for (int epoch = 1; epoch <= 3; epoch++) {
			checkpoints.appendHistory(epoch(epoch));
		}
		// A crash while the fourth was being appended, and before the third's checkpoint.
		Files.writeString(this.folder.resolve("history.jsonl"), "{\"epoch\":4,\"trainLo", StandardOpenOption.APPEND);
		assertThat(checkpoints.readHistory(2)).extracting(EpochReport::epoch).containsExactly(1, 2);
		checkpoints.appendHistory(epoch(3));
		assertThat(checkpoints.readHistory(3)).extracting(EpochReport::epoch).containsExactly(1, 2, 3);
		assertThat(Files.readAllLines(this.folder.resolve("history.jsonl"))).hasSize(3);
	}

	@Test
	void aRunWithoutHistoryReadsNone() throws Exception {
		assertThat(new Checkpoints(this.folder.resolve("none")).readHistory(5)).isEmpty();
	}

	/**
	 * A job that trained through an upgrade: its checkpoint's settings lack the fields
	 * added since, and read back as what the run did then, so the job resumes with the
	 * settings it started with (and the compatibility check passes).
	 */
	@Test
	void aCheckpointWrittenBeforeLaterSettingsExistedReadsAsTheRunWas() throws Exception {
		JsonMapper json = JsonMapper.builder().build();
		TrainingSettings current = TrainingSettings.defaults().withEpochs(9).withSeed(3);
		ObjectNode state = json.valueToTree(
				new CheckpointState(4, "fingerprint", ModelSpec.defaults(), current, 4, 0.5, 0, List.of(), null));
		ObjectNode settings = (ObjectNode) state.get("settings");
		for (String added : List.of("batchTokens", "learningRateSchedule", "warmupSteps", "learningRateFloor",
				"keepBestWeights", "recurrentInitialization")) {
			assertThat(settings.remove(added)).as(added).isNotNull();
		}
		Path checkpoint = Files.createDirectories(this.folder.resolve("epoch-4"));
		Files.writeString(checkpoint.resolve("state.json"), json.writeValueAsString(state));

		CheckpointState read = Checkpoints.readState(checkpoint);
		assertThat(read.epochsCompleted()).isEqualTo(4);
		assertThat(read.settings()).isEqualTo(TrainingSettings.beforeTheirFields().withEpochs(9).withSeed(3));
		assertThat(read.settings().recurrentInitialization()).isEqualTo(RecurrentInitialization.UNIFORM);
		assertThat(read.settings().learningRateSchedule()).isEqualTo(LearningRateSchedule.CONSTANT);
	}

	@Test
	void aStateThatIsNotAnObjectIsUnreadableNotACrash() throws Exception {
		Path checkpoint = Files.createDirectories(this.folder.resolve("epoch-1"));
		Files.writeString(checkpoint.resolve("state.json"), "[1, 2]");
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> Checkpoints.readState(checkpoint))
			.withMessageContaining("not a JSON object");
	}

	private static EpochReport epoch(int number) {
		return new EpochReport(number, 1.0 / number, null, null, null, null, Map.of(), 0.1, 0, 100, 10, 1e-3);
	}

}
