package dev.elman.jobs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class JobFoldersTests {

	@TempDir
	Path root;

	@Test
	void removesOldFoldersOfNoUnfinishedJobAndKeepsTheRest() throws Exception {
		JobFolders folders = new JobFolders(this.root);
		FileTime longAgo = FileTime.from(Instant.now().minus(Duration.ofHours(3)));
		for (String id : Set.of("left-by-a-crash", "still-queued", "being-accepted")) {
			Files.writeString(Files.createDirectories(folders.of(id)).resolve("corpus.txt"), "a\tb\n");
		}
		Files.setLastModifiedTime(folders.of("left-by-a-crash"), longAgo);
		Files.setLastModifiedTime(folders.of("still-queued"), longAgo);
		folders.removeAbandoned(Set.of("still-queued"), Duration.ofHours(1));
		assertThat(folders.of("left-by-a-crash")).doesNotExist();
		assertThat(folders.of("still-queued")).isDirectory();
		// Young: perhaps another replica is accepting it right now.
		assertThat(folders.of("being-accepted")).isDirectory();
	}

}
