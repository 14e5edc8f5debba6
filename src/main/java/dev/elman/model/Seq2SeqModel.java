package dev.elman.model;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.elman.engine.ParallelWork;

/**
 * A network with its vocabulary and the native memory that holds its parameters.
 *
 * <p>
 * Closing the model frees the parameters. Decoding from several threads at once is safe
 * as long as each thread uses its own {@link GreedyDecoder}; training is a single
 * thread's job.
 */
public final class Seq2SeqModel implements AutoCloseable {

	/** The parameters, in DJL's block format. */
	public static final String PARAMETERS_FILE = "parameters.params";

	/** The {@link ModelManifest}. */
	public static final String MANIFEST_FILE = "manifest.json";

	private final NDManager manager;

	private final Seq2SeqNetwork network;

	private final Vocabulary vocabulary;

	private final FlatParameters flat;

	/** Made when first decoded with, and again after the parameters change. */
	private SigmoidSpaceElman folded;

	private Seq2SeqModel(NDManager manager, Seq2SeqNetwork network, Vocabulary vocabulary, FlatParameters flat) {
		this.manager = manager;
		this.network = network;
		this.vocabulary = vocabulary;
		this.flat = flat;
	}

	/**
	 * Creates a model with freshly initialised parameters (PyTorch's default
	 * initialisation, drawn from {@code seed}).
	 * @param spec the architecture
	 * @param vocabulary the symbols
	 * @param device where the parameters live
	 * @param seed the initialisation seed
	 * @return the model; close it
	 */
	public static Seq2SeqModel create(ModelSpec spec, Vocabulary vocabulary, Device device, long seed) {
		return create(spec, vocabulary, device, seed, RecurrentInitialization.UNIFORM);
	}

	/**
	 * Creates a model with freshly initialised parameters drawn from {@code seed}: the
	 * recurrent matrices as {@code recurrent} says, the others as PyTorch initialises
	 * them.
	 * @param spec the architecture
	 * @param vocabulary the symbols
	 * @param device where the parameters live
	 * @param seed the initialisation seed
	 * @param recurrent how the recurrent matrices start
	 * @return the model; close it
	 */
	public static Seq2SeqModel create(ModelSpec spec, Vocabulary vocabulary, Device device, long seed,
			RecurrentInitialization recurrent) {
		NDManager manager = NDManager.newBaseManager(device);
		try {
			Seq2SeqNetwork network = new Seq2SeqNetwork(spec, vocabulary.size());
			FlatParameters flat = new FlatParameters(manager, network.expectedShapes());
			network.useSeededInitialization(seed, flat, recurrent);
			network.initialize(manager, DataType.FLOAT32, new Shape(1, 1), new Shape(1, 1));
			return new Seq2SeqModel(manager, network, vocabulary, flat);
		}
		catch (RuntimeException ex) {
			manager.close();
			throw ex;
		}
	}

	/**
	 * Loads a model saved by {@link #save}.
	 * @param directory the folder holding {@value #MANIFEST_FILE} and
	 * {@value #PARAMETERS_FILE}
	 * @param device where the parameters go
	 * @return the model; close it
	 * @throws IOException if the files are missing, unreadable or do not match each other
	 */
	public static Seq2SeqModel load(Path directory, Device device) throws IOException {
		ModelManifest manifest = ModelManifest.read(directory.resolve(MANIFEST_FILE));
		Path parameters = directory.resolve(PARAMETERS_FILE);
		try (InputStream in = Files.newInputStream(parameters)) {
			return fromParameters(manifest.spec(), Vocabulary.of(manifest.vocabulary()), device, in);
		}
	}

	/**
	 * Builds a model from parameters written by {@link #writeParameters}.
	 * @param spec the architecture they were saved from
	 * @param vocabulary the vocabulary they were saved with
	 * @param device where the parameters go
	 * @param parameters the stream; not closed
	 * @return the model; close it
	 * @throws IOException if the stream is unreadable or does not fit the architecture
	 */
	public static Seq2SeqModel fromParameters(ModelSpec spec, Vocabulary vocabulary, Device device,
			InputStream parameters) throws IOException {
		// Every value is overwritten below: the cheapest initialisation will do.
		Seq2SeqModel model = create(spec, vocabulary, device, 0, RecurrentInitialization.UNIFORM);
		// DJL loads into arrays of its own; read into a scratch network, then copy into
		// the flat
		// layout.
		try (NDManager scratch = model.manager.newSubManager()) {
			Seq2SeqNetwork loaded = new Seq2SeqNetwork(spec, vocabulary.size());
			try {
				loaded.loadParameters(scratch, new DataInputStream(new BufferedInputStream(parameters)));
			}
			catch (EOFException ex) {
				throw new IOException("Unreadable model parameters: the data ends too early", ex);
			}
			catch (MalformedModelException | IOException | RuntimeException ex) {
				throw new IOException("Unreadable model parameters: " + ex.getMessage(), ex);
			}
			checkShapes(loaded);
			var values = loaded.getParameters();
			try (Autograd noGradients = Autograd.disabled()) {
				for (int i = 0; i < values.size(); i++) {
					model.flat.copyInto(i, values.valueAt(i).getArray());
				}
			}
			return model;
		}
		catch (IOException | RuntimeException ex) {
			model.close();
			throw ex;
		}
	}

	/**
	 * A parameters file from another architecture loads without complaint; refuse it
	 * here.
	 */
	private static void checkShapes(Seq2SeqNetwork network) throws IOException {
		var parameters = network.getParameters();
		var expected = network.expectedShapes();
		if (parameters.size() != expected.size()) {
			throw new IOException(
					"Found " + parameters.size() + " parameters, the manifest implies " + expected.size());
		}
		for (int i = 0; i < expected.size(); i++) {
			Parameter parameter = parameters.valueAt(i);
			Shape found = parameter.isInitialized() ? parameter.getArray().getShape() : null;
			if (!expected.get(i).equals(found)) {
				throw new IOException("Parameter " + parameters.keyAt(i) + " does not fit the manifest: expected "
						+ expected.get(i) + ", found " + found);
			}
		}
	}

	/**
	 * Saves the parameters and a manifest into a folder, creating it if needed.
	 * @param directory the folder
	 * @param metadata free-form facts to keep in the manifest
	 * @throws IOException if writing fails
	 */
	public void save(Path directory, Map<String, Object> metadata) throws IOException {
		Files.createDirectories(directory);
		saveParameters(directory.resolve(PARAMETERS_FILE));
		manifest(metadata).write(directory.resolve(MANIFEST_FILE));
	}

	/**
	 * Returns the manifest describing this model.
	 * @param metadata free-form facts to keep in it
	 * @return the manifest
	 */
	public ModelManifest manifest(Map<String, Object> metadata) {
		return new ModelManifest(ModelManifest.FORMAT_VERSION, spec(), this.vocabulary.symbols(), metadata);
	}

	/**
	 * Writes just the parameters.
	 * @param file the file to create or replace
	 * @throws IOException if writing fails
	 */
	public void saveParameters(Path file) throws IOException {
		try (OutputStream out = Files.newOutputStream(file)) {
			writeParameters(out);
		}
	}

	/**
	 * Writes the parameters in DJL's block format.
	 * @param out the stream; flushed, not closed
	 * @throws IOException if writing fails
	 */
	public void writeParameters(OutputStream out) throws IOException {
		DataOutputStream data = new DataOutputStream(new BufferedOutputStream(out));
		this.network.saveParameters(data);
		data.flush();
	}

	/**
	 * Returns the parameters as bytes, for an in-memory snapshot.
	 * @return the bytes {@link #fromParameters} reads
	 */
	public byte[] parameterBytes() {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try {
			writeParameters(bytes);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return bytes.toByteArray();
	}

	/**
	 * Returns every parameter in one flat array, in the order of
	 * {@code network().getParameters()}; each parameter's array is a view of its slice,
	 * so an in-place update of this array updates the network.
	 * @return the flat parameters
	 */
	public NDArray flatParameters() {
		return this.flat.values();
	}

	/**
	 * Returns a new greedy decoder for the calling thread.
	 * @return the decoder
	 */
	public GreedyDecoder newDecoder() {
		return new GreedyDecoder(this, ParallelWork.SERIAL);
	}

	/**
	 * Returns a new greedy decoder for the calling thread that splits large batches
	 * across the given threads.
	 * @param work the threads to share large batches with
	 * @return the decoder
	 */
	public GreedyDecoder newDecoder(ParallelWork work) {
		return new GreedyDecoder(this, work);
	}

	/**
	 * Says that the parameters were changed in place (by an optimizer step), so that
	 * decoding no longer uses anything computed from the old ones. Call it from the
	 * thread that changed them, before the next decoding, and while no decoder runs on
	 * this model: what was computed from the old parameters is freed.
	 */
	public synchronized void parametersChanged() {
		if (this.folded != null) {
			this.folded.close();
			this.folded = null;
		}
	}

	/**
	 * Returns the weights on the heap for decoding a few inputs, or null where the model
	 * has none (another cell, or weights too large).
	 */
	synchronized HostElman hostElman() {
		if (!SigmoidSpaceElman.supports(this.network.spec(), this.vocabulary.size())) {
			return null;
		}
		return ((SigmoidSpaceElman) decoderSteps()).host();
	}

	/**
	 * Returns the arithmetic a decoder on the calling thread runs: the sigmoid-space form
	 * for {@code rnn-tanh} networks, else the network's blocks.
	 */
	synchronized DecoderSteps decoderSteps() {
		if (!SigmoidSpaceElman.supports(this.network.spec(), this.vocabulary.size())) {
			return new NetworkSteps(this.network, newParameterStore());
		}
		if (this.folded == null) {
			this.folded = SigmoidSpaceElman.fold(this.network, this.manager);
		}
		return this.folded;
	}

	/**
	 * Returns a parameter store that hands out the parameters without copying them.
	 * @return a new store; not thread-safe, so one per thread
	 */
	public ParameterStore newParameterStore() {
		return new ParameterStore(this.manager, false);
	}

	/**
	 * Returns the network.
	 * @return the network
	 */
	public Seq2SeqNetwork network() {
		return this.network;
	}

	/**
	 * Returns the vocabulary.
	 * @return the vocabulary
	 */
	public Vocabulary vocabulary() {
		return this.vocabulary;
	}

	/**
	 * Returns the architecture.
	 * @return the spec
	 */
	public ModelSpec spec() {
		return this.network.spec();
	}

	/**
	 * Returns the manager that owns the parameters; make sub-managers of it for arrays
	 * that must be freed sooner.
	 * @return the manager
	 */
	public NDManager manager() {
		return this.manager;
	}

	/**
	 * Returns the device the parameters live on.
	 * @return the device
	 */
	public Device device() {
		return this.manager.getDevice();
	}

	@Override
	public synchronized void close() {
		this.folded = null;
		this.manager.close();
	}

}
