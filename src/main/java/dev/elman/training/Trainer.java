package dev.elman.training;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import ai.djl.Device;
import dev.elman.corpus.TextPair;
import dev.elman.engine.ParallelWork;
import dev.elman.model.ModelSpec;
import dev.elman.model.Seq2SeqModel;

/**
 * Trains sequence-to-sequence models: teacher forcing, masked cross-entropy, Adam,
 * clipping by global norm, truncated backpropagation through time, a held-out split with
 * greedy evaluation, gradient diagnostics, early stopping and epoch checkpoints to resume
 * from.
 *
 * <p>
 * A run trains on the calling thread, helped by the trainer's step workers: each step's
 * batch is split among them and their gradients summed, which uses several cores where
 * single operations are too small to. The same seed, settings and worker count give the
 * same loss curve. Several runs may proceed at once on different threads; each holds its
 * own model.
 */
public final class Trainer {

	private final Device device;

	private final ParallelWork workers;

	/**
	 * Creates a trainer that runs each step on the calling thread alone.
	 * @param device where models are trained
	 */
	public Trainer(Device device) {
		this(device, ParallelWork.SERIAL);
	}

	/**
	 * Creates a trainer.
	 * @param device where models are trained
	 * @param workers threads that share each step, the calling thread included; on a GPU
	 * the device does the parallel work and the caller alone is used
	 */
	public Trainer(Device device, ParallelWork workers) {
		this.device = device;
		this.workers = device.isGpu() ? ParallelWork.SERIAL : workers;
	}

	/**
	 * Returns how many threads share each step.
	 * @return the worker count
	 */
	public int workers() {
		return this.workers.threads();
	}

	/**
	 * Trains a model, continuing from the newest checkpoint in {@code checkpointFolder}
	 * if there is one.
	 * @param corpus the pairs; the held-out ones are taken from them
	 * @param spec the architecture
	 * @param settings how to train
	 * @param checkpointFolder where to write a checkpoint after every epoch, or null for
	 * none
	 * @param listener told about progress
	 * @param cancelled polled between steps; when it answers true the run writes a
	 * checkpoint of where it stands (if it has a checkpoint folder) and stops with a
	 * {@link TrainingCancelledException}; training again with the same folder continues
	 * from that step
	 * @return the result; the caller closes its model
	 * @throws IOException if a checkpoint cannot be read or written
	 * @throws IllegalStateException if the checkpoint belongs to another corpus or setup
	 */
	public TrainingResult train(List<TextPair> corpus, ModelSpec spec, TrainingSettings settings, Path checkpointFolder,
			TrainingListener listener, BooleanSupplier cancelled) throws IOException {
		return train(() -> corpus, spec, settings, checkpointFolder, listener, cancelled);
	}

	/**
	 * Trains as
	 * {@link #train(List, ModelSpec, TrainingSettings, Path, TrainingListener, BooleanSupplier)}
	 * does, on a corpus read only for as long as it takes to turn it into ids: its text
	 * can be collected while training runs.
	 * @param corpus reads the pairs
	 * @param spec the architecture
	 * @param settings how to train
	 * @param checkpointFolder where to write a checkpoint after every epoch, or null for
	 * none
	 * @param listener told about progress
	 * @param cancelled polled between steps
	 * @return the result; the caller closes its model
	 * @throws IOException if a checkpoint cannot be read or written
	 * @throws IllegalStateException if the checkpoint belongs to another corpus or setup
	 */
	public TrainingResult train(Supplier<List<TextPair>> corpus, ModelSpec spec, TrainingSettings settings,
			Path checkpointFolder, TrainingListener listener, BooleanSupplier cancelled) throws IOException {
		PreparedCorpus data = PreparedCorpus.prepare(corpus.get(), spec, settings);
		Checkpoints checkpoints = (checkpointFolder != null) ? new Checkpoints(checkpointFolder) : null;
		Optional<Path> checkpoint = (checkpoints != null) ? checkpoints.latest() : Optional.empty();
		CheckpointState state = null;
		Seq2SeqModel model;
		if (checkpoint.isPresent()) {
			state = Checkpoints.readState(checkpoint.get());
			checkCompatible(state, data, spec, settings);
			model = Checkpoints.readModel(checkpoint.get(), this.device);
		}
		else {
			model = Seq2SeqModel.create(spec, data.vocabulary, this.device, settings.seed(),
					settings.recurrentInitialization());
		}
		try {
			if (!model.vocabulary().symbols().equals(data.vocabulary.symbols())) {
				throw new IllegalStateException("The checkpoint's vocabulary differs from this corpus's");
			}
			try (TrainingRun run = new TrainingRun(model, data, settings, listener, cancelled, checkpoints,
					this.workers)) {
				if (state != null) {
					run.restore(checkpoint.get(), state);
				}
				// On success the result owns the model (or the best epoch's copy of it).
				return run.execute();
			}
		}
		catch (IOException | RuntimeException | Error ex) {
			model.close();
			throw ex;
		}
	}

	private static void checkCompatible(CheckpointState state, PreparedCorpus data, ModelSpec spec,
			TrainingSettings settings) {
		if (!state.corpusFingerprint().equals(data.fingerprint)) {
			throw new IllegalStateException("The checkpoint was made on another corpus");
		}
		if (!state.spec().equals(spec)) {
			throw new IllegalStateException("The checkpoint was made for another architecture: " + state.spec());
		}
		if (!state.settings().withEpochs(settings.epochs()).equals(settings)) {
			throw new IllegalStateException("The checkpoint was made with other settings: " + state.settings());
		}
	}

}
