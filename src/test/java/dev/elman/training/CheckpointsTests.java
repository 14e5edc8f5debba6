package dev.elman.training;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

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

	private static EpochReport epoch(int number) {
		return new EpochReport(number, 1.0 / number, null, null, null, null, Map.of(), 0.1, 0, 100, 10, 1e-3);
	}

}
