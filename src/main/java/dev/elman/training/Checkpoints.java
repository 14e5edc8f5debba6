package dev.elman.training;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import ai.djl.Device;
import dev.elman.model.Seq2SeqModel;
import dev.elman.storage.DurableFiles;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.util.FileSystemUtils;

/**
 * Checkpoints in a folder: {@code epoch-0007/} holds the model, Adam's state, the best
 * weights so far and the run's state after seven epochs; {@code epoch-0007+000120/} the
 * same after 120 steps of the eighth, written when a run is stopped mid-epoch. Each is
 * written under a temporary name, flushed to disk and then renamed, so a crash leaves
 * either the previous checkpoint or the new one, never half of one. Only the newest is
 * kept.
 */
final class Checkpoints {

	private static final Pattern EPOCH_FOLDER = Pattern.compile("epoch-(\\d{4,})(?:\\+(\\d{6,}))?");

	private static final String PARTIAL_SUFFIX = ".partial";

	private static final String MODEL = "model";

	private static final String OPTIMIZER = "optimizer.bin";

	private static final String BEST = "best.params";

	private static final String STATE = "state.json";

	private static final String HISTORY = "history.jsonl";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final Path folder;

	Checkpoints(Path folder) {
		this.folder = folder;
	}

	/**
	 * Writes a checkpoint, after a finished epoch or partway through one, and removes
	 * older ones.
	 */
	void write(CheckpointState state, Seq2SeqModel model, AdamOptimizer optimizer, byte[] bestParameters)
			throws IOException {
		Files.createDirectories(this.folder);
		String name = (state.partial() != null)
				? String.format("epoch-%04d+%06d", state.epochsCompleted(), state.partial().stepsDone())
				: String.format("epoch-%04d", state.epochsCompleted());
		Path partial = this.folder.resolve(name + PARTIAL_SUFFIX);
		FileSystemUtils.deleteRecursively(partial);
		Files.createDirectories(partial);
		model.save(partial.resolve(MODEL), Map.of());
		try (DataOutputStream out = new DataOutputStream(
				new BufferedOutputStream(Files.newOutputStream(partial.resolve(OPTIMIZER))))) {
			optimizer.save(out);
		}
		if (bestParameters != null) {
			Files.write(partial.resolve(BEST), bestParameters);
		}
		try (OutputStream out = Files.newOutputStream(partial.resolve(STATE))) {
			JSON.writeValue(out, state);
		}
		DurableFiles.syncTree(partial);
		Files.move(partial, this.folder.resolve(name), StandardCopyOption.ATOMIC_MOVE);
		DurableFiles.syncFolder(this.folder);
		for (Path old : list()) {
			if (!old.getFileName().toString().equals(name)) {
				FileSystemUtils.deleteRecursively(old);
			}
		}
	}

	/**
	 * Appends a finished epoch to the run's history, {@code history.jsonl} beside the
	 * checkpoints, and flushes it: one line per epoch, so a checkpoint costs the same
	 * however long the run (a history inside each checkpoint made every epoch slower than
	 * the one before).
	 */
	void appendHistory(EpochReport report) throws IOException {
		Files.createDirectories(this.folder);
		byte[] line = (JSON.writeValueAsString(report) + "\n").getBytes(StandardCharsets.UTF_8);
		try (FileChannel channel = FileChannel.open(this.folder.resolve(HISTORY), StandardOpenOption.CREATE,
				StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
			channel.write(ByteBuffer.wrap(line));
			channel.force(false);
		}
	}

	/**
	 * Reads the history of the epochs a checkpoint completed, dropping any appended after
	 * it (a crash between the two), and rewrites the file to match.
	 */
	List<EpochReport> readHistory(int epochsCompleted) throws IOException {
		Path file = this.folder.resolve(HISTORY);
		if (!Files.exists(file)) {
			return List.of();
		}
		Map<Integer, EpochReport> byEpoch = new TreeMap<>();
		try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
			for (String line : (Iterable<String>) lines::iterator) {
				if (line.isBlank()) {
					continue;
				}
				try {
					EpochReport report = JSON.readValue(line, EpochReport.class);
					if (report.epoch() <= epochsCompleted) {
						byEpoch.put(report.epoch(), report);
					}
				}
				catch (JacksonException ex) {
					// A line cut short by a crash while it was appended.
				}
			}
		}
		List<EpochReport> history = new ArrayList<>(byEpoch.values());
		StringBuilder kept = new StringBuilder();
		for (EpochReport report : history) {
			kept.append(JSON.writeValueAsString(report)).append('\n');
		}
		DurableFiles.replace(file, kept.toString());
		return history;
	}

	/**
	 * Returns the newest complete checkpoint, if any.
	 */
	Optional<Path> latest() throws IOException {
		if (!Files.isDirectory(this.folder)) {
			return Optional.empty();
		}
		return list().stream()
			.filter((path) -> EPOCH_FOLDER.matcher(path.getFileName().toString()).matches())
			.max(Comparator.comparingInt(Checkpoints::epochOf).thenComparingInt(Checkpoints::stepOf));
	}

	/**
	 * Reads a checkpoint's state. One written by an earlier version (a job that trained
	 * through an upgrade) lacks the settings added since; each takes the value that meant
	 * what the run did then, so it resumes as it started.
	 */
	static CheckpointState readState(Path checkpoint) throws IOException {
		try {
			if (!(JSON.readTree(checkpoint.resolve(STATE).toFile()) instanceof ObjectNode state)) {
				throw new IOException("Unreadable checkpoint state in " + checkpoint + ": not a JSON object");
			}
			if (state.get("settings") instanceof ObjectNode stored) {
				ObjectNode filled = JSON.valueToTree(TrainingSettings.beforeTheirFields());
				filled.setAll(stored);
				state.set("settings", filled);
			}
			return JSON.treeToValue(state, CheckpointState.class);
		}
		catch (JacksonException ex) {
			throw new IOException("Unreadable checkpoint state in " + checkpoint, ex);
		}
	}

	static Seq2SeqModel readModel(Path checkpoint, Device device) throws IOException {
		return Seq2SeqModel.load(checkpoint.resolve(MODEL), device);
	}

	static void readOptimizer(Path checkpoint, AdamOptimizer optimizer) throws IOException {
		try (DataInputStream in = new DataInputStream(
				new BufferedInputStream(Files.newInputStream(checkpoint.resolve(OPTIMIZER))))) {
			optimizer.load(in);
		}
	}

	static byte[] readBest(Path checkpoint) throws IOException {
		Path best = checkpoint.resolve(BEST);
		return Files.exists(best) ? Files.readAllBytes(best) : null;
	}

	/** Removes every checkpoint, for a run that ended and needs none. */
	void deleteAll() throws IOException {
		FileSystemUtils.deleteRecursively(this.folder);
	}

	private List<Path> list() throws IOException {
		try (Stream<Path> entries = Files.list(this.folder)) {
			return entries.filter((path) -> path.getFileName().toString().startsWith("epoch-")).toList();
		}
	}

	private static int epochOf(Path path) {
		Matcher matcher = EPOCH_FOLDER.matcher(path.getFileName().toString());
		return matcher.matches() ? Integer.parseInt(matcher.group(1)) : -1;
	}

	private static int stepOf(Path path) {
		Matcher matcher = EPOCH_FOLDER.matcher(path.getFileName().toString());
		return (matcher.matches() && matcher.group(2) != null) ? Integer.parseInt(matcher.group(2)) : 0;
	}

}
