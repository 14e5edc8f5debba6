package dev.elman.bench;

import java.io.Reader;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.elman.corpus.CorpusFormat;
import dev.elman.corpus.CorpusReader;
import dev.elman.corpus.TextPair;
import dev.elman.engine.ComputeEngine;
import dev.elman.engine.EngineProperties;
import dev.elman.engine.ParallelWork;
import dev.elman.model.GreedyDecoder;
import dev.elman.model.ModelSpec;
import dev.elman.model.Seq2SeqModel;
import dev.elman.model.TextCodec;
import dev.elman.training.StepProgress;
import dev.elman.training.Trainer;
import dev.elman.training.TrainingListener;
import dev.elman.training.TrainingResult;
import dev.elman.training.TrainingSettings;
import net.bytebuddy.agent.ByteBuddyAgent;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Counts the calls into PyTorch's native library per training step and per decoded
 * symbol. Every native call of DJL's PyTorch engine goes through
 * {@code ai.djl.pytorch.jni.PyTorchLibrary}; before DJL loads, each call site of that
 * class is rewritten to bump a counter first. One thread, so each count belongs to the
 * step that made it.
 *
 * <p>
 * Options: {@code --data FILE --format tsv|jsonl|delimited --pairs N --batch 128
 * --decode-batch 256 --by-caller}; the last lists each native method of the listed
 * training step by the first frame of this service's code that led to it.
 */
public final class NativeCallCount {

	private static final String LIBRARY = "ai/djl/pytorch/jni/PyTorchLibrary";

	private static final AtomicLong CALLS = new AtomicLong();

	private NativeCallCount() {
	}

	/**
	 * Called by the rewritten call sites.
	 */
	public static void hit(String method) {
		CALLS.incrementAndGet();
		if (byMethod != null) {
			byMethod.merge(method, 1L, Long::sum);
			if (byCaller != null) {
				byCaller.merge(method + " <- " + caller(), 1L, Long::sum);
			}
		}
	}

	private static Map<String, Long> byMethod;

	/** Counts by native method and calling line, when asked for. */
	private static Map<String, Long> byCaller;

	private static String caller() {
		return StackWalker.getInstance()
			.walk((frames) -> frames
				.filter((frame) -> frame.getClassName().startsWith("dev.elman.")
						&& !frame.getClassName().startsWith("dev.elman.bench."))
				.findFirst()
				.map((frame) -> frame.getClassName().substring("dev.elman.".length()) + "." + frame.getMethodName()
						+ ":" + frame.getLineNumber())
				.orElse("?"));
	}

	private static void startListing() {
		byMethod = new TreeMap<>();
	}

	private static String stopListing() {
		String listed = byMethod.toString();
		byMethod = null;
		return listed;
	}

	public static void main(String[] args) throws Exception {
		Instrumentation instrumentation = ByteBuddyAgent.install();
		instrumentation.addTransformer(new CountingTransformer());
		Path data = Path.of("..", "shared", "datasets", "addition.txt");
		String format = "delimited";
		int pairs = 4096;
		int batch = 128;
		int decodeBatch = 256;
		List<String> list = Arrays.asList(args);
		for (int i = 0; i < list.size(); i++) {
			switch (list.get(i)) {
				case "--data" -> data = Path.of(list.get(++i));
				case "--format" -> format = list.get(++i);
				case "--pairs" -> pairs = Integer.parseInt(list.get(++i));
				case "--batch" -> batch = Integer.parseInt(list.get(++i));
				case "--decode-batch" -> decodeBatch = Integer.parseInt(list.get(++i));
				case "--by-caller" -> byCaller = new TreeMap<>();
				default -> throw new IllegalArgumentException("Unknown option " + list.get(i));
			}
		}
		ComputeEngine engine = ComputeEngine.start(EngineProperties.onCpu(Path.of("target", "bench-data")));
		List<TextPair> corpus;
		try (Reader reader = Files.newBufferedReader(data, StandardCharsets.UTF_8)) {
			corpus = CorpusReader.of(CorpusFormat.fromId(format), "_", false).read(reader);
		}
		List<TextPair> sample = corpus.subList(0, Math.min(pairs, corpus.size()));
		List<Long> perStep = new ArrayList<>();
		var counter = new TrainingListener() {
			long before = CALLS.get();

			String listed;

			@Override
			public void onStep(StepProgress progress) {
				long now = CALLS.get();
				perStep.add(now - this.before);
				this.before = now;
				// One step of the second epoch, listed by native method.
				if (progress.epoch() == 2 && progress.step() == 10) {
					startListing();
				}
				else if (progress.epoch() == 2 && progress.step() == 11) {
					this.listed = stopListing();
				}
			}
		};
		TrainingSettings settings = TrainingSettings.defaults()
			.withEpochs(2)
			.withBatchSize(batch)
			.withValidationFraction(0.1);
		TrainingResult result = new Trainer(engine.device(), ParallelWork.of(1)).train(sample, ModelSpec.defaults(),
				settings, null, counter, () -> false);
		// The first step of each epoch also pays for the evaluation before it.
		long[] steps = perStep.stream().mapToLong(Long::longValue).sorted().toArray();
		System.out.printf(Locale.ROOT, "training step, batch %d: native calls median %d, min %d, max %d (%d steps)%n",
				batch, steps[steps.length / 2], steps[0], steps[steps.length - 1], steps.length);
		System.out.println("  by native method: " + counter.listed);
		if (byCaller != null) {
			byCaller.forEach((call, count) -> System.out.printf(Locale.ROOT, "  %4d %s%n", count, call));
			byCaller = null;
		}
		try (Seq2SeqModel model = result.model()) {
			TextCodec codec = new TextCodec(model.spec(), model.vocabulary());
			int maxLength = sample.stream().mapToInt((pair) -> pair.target().length()).max().orElse(1);
			GreedyDecoder decoder = model.newDecoder();
			for (int size : new int[] { 1, decodeBatch }) {
				List<long[]> sources = new ArrayList<>();
				for (int i = 0; i < size; i++) {
					sources.add(codec.encodeSource(sample.get(i).source()).ids());
				}
				decoder.decodeIds(sources, maxLength);
				long before = CALLS.get();
				startListing();
				List<GreedyDecoder.Decoded> decoded = decoder.decodeIds(sources, maxLength);
				String listed = stopListing();
				long calls = CALLS.get() - before;
				int longest = decoded.stream().mapToInt((d) -> d.ids().length).max().orElse(0);
				System.out.printf(Locale.ROOT,
						"greedy decode, batch %d, %d distinct source lengths, maxLength %d: %d native calls, %.1f per step of the longest output (%d symbols + end)%n",
						size, sources.stream().mapToInt((s) -> s.length).distinct().count(), maxLength, calls,
						(double) calls / (longest + 1), longest);
				System.out.println("  by native method: " + listed);
			}
		}
	}

	/** Inserts a call to {@link #hit()} before every call of the native library. */
	private static final class CountingTransformer implements ClassFileTransformer {

		@Override
		public byte[] transform(ClassLoader loader, String className, Class<?> redefined, ProtectionDomain domain,
				byte[] bytes) {
			if (className == null || !className.startsWith("ai/djl/pytorch/") || className.equals(LIBRARY)) {
				return null;
			}
			ClassReader reader = new ClassReader(bytes);
			ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
			boolean[] changed = { false };
			reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
				@Override
				public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
						String[] exceptions) {
					return new MethodVisitor(Opcodes.ASM9,
							super.visitMethod(access, name, descriptor, signature, exceptions)) {
						@Override
						public void visitMethodInsn(int opcode, String owner, String method, String type,
								boolean isInterface) {
							if (owner.equals(LIBRARY) && opcode != Opcodes.INVOKESPECIAL) {
								super.visitLdcInsn(method);
								super.visitMethodInsn(Opcodes.INVOKESTATIC, "dev/elman/bench/NativeCallCount", "hit",
										"(Ljava/lang/String;)V", false);
								changed[0] = true;
							}
							super.visitMethodInsn(opcode, owner, method, type, isInterface);
						}
					};
				}
			}, 0);
			return changed[0] ? writer.toByteArray() : null;
		}

	}

}
