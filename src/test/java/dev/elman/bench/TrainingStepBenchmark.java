package dev.elman.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import dev.elman.engine.ComputeEngine;
import dev.elman.engine.ParallelWork;
import dev.elman.model.Autograd;
import dev.elman.model.ModelSpec;
import dev.elman.model.PackedSources;
import dev.elman.model.Seq2SeqModel;
import dev.elman.model.SigmoidSpaceTraining;
import dev.elman.model.SourceBatch;
import dev.elman.model.TeacherForcedLabels;
import dev.elman.model.Vocabulary;

/**
 * Times a training step's forward and backward pass both ways on the same random batches,
 * alternating in one JVM so the machine's drift touches both alike: through autograd and
 * the network's blocks, and by hand in sigmoid space ({@link SigmoidSpaceTraining}). The
 * optimizer step is not included.
 *
 * <p>
 * Arguments:
 * {@code shortestSource longestSource shortestTarget longestTarget rows symbols
 * [path (-1 both, 0 autograd, 1 by hand) [rounds [threads]]]}, for example {@code 3 7 1 4
 * 128 13} for batches shaped like the addition corpus's. With threads above 1 the rows
 * are split among them as the trainer splits a step.
 */
public final class TrainingStepBenchmark {

	private TrainingStepBenchmark() {
	}

	public static void main(String[] args) {
		int minSource = Integer.parseInt(args[0]);
		int maxSource = Integer.parseInt(args[1]);
		int minTarget = Integer.parseInt(args[2]);
		int maxTarget = Integer.parseInt(args[3]);
		int rows = Integer.parseInt(args[4]);
		int symbols = Integer.parseInt(args[5]);
		ComputeEngine.startOnCpu();
		List<String> alphabet = new ArrayList<>();
		for (int i = 0; i < symbols; i++) {
			alphabet.add(String.valueOf((char) ('a' + i)));
		}
		SplittableRandom random = new SplittableRandom(1);
		int batches = 20;
		List<long[]> sources = new ArrayList<>();
		List<long[]> targets = new ArrayList<>();
		for (int i = 0; i < batches * rows; i++) {
			sources.add(random.longs(random.nextInt(minSource, maxSource + 1), 4, 4 + symbols).toArray());
			targets.add(random.longs(random.nextInt(minTarget, maxTarget + 1), 4, 4 + symbols).toArray());
		}
		try (Seq2SeqModel model = Seq2SeqModel.create(ModelSpec.defaults(), Vocabulary.of(alphabet), Device.cpu(), 1)) {
			ParameterStore store = model.newParameterStore();
			int threads = (args.length > 8) ? Integer.parseInt(args[8]) : 1;
			ParallelWork work = ParallelWork.of(threads);
			List<ParameterStore> stores = new ArrayList<>();
			for (int i = 0; i < threads; i++) {
				stores.add(model.newParameterStore());
			}
			double[][] times = new double[2][];
			int only = (args.length > 6) ? Integer.parseInt(args[6]) : -1;
			int roundsTotal = (args.length > 7) ? Integer.parseInt(args[7]) : 8;
			for (int round = 0; round < roundsTotal; round++) {
				for (int path = 0; path < 2; path++) {
					if (only >= 0 && path != only) {
						continue;
					}
					long start = System.nanoTime();
					int n = 0;
					for (int b = 0; b < batches; b++, n++) {
						int[] members = new int[rows];
						for (int i = 0; i < rows; i++) {
							members[i] = b * rows + i;
						}
						if (work.threads() > 1) {
							List<int[]> parts = ParallelWork.cut(members, work.threads());
							boolean byHand = path == 1;
							work.run(parts.size(), (slice) -> {
								step(model, stores.get(slice), sources, targets, parts.get(slice), byHand);
								return 0;
							});
							for (Parameter p : model.network().getParameters().values()) {
								JniUtils.zeroGrad((PtNDArray) p.getArray());
							}
						}
						else {
							step(model, store, sources, targets, members, path == 1);
							for (Parameter p : model.network().getParameters().values()) {
								JniUtils.zeroGrad((PtNDArray) p.getArray());
							}
						}
					}
					double ms = (System.nanoTime() - start) / 1e6 / n;
					if (round >= 3) {
						times[path] = append(times[path], ms);
					}
				}
			}
			for (int path = 0; path < 2; path++) {
				if (times[path] == null) {
					continue;
				}
				double[] t = times[path].clone();
				Arrays.sort(t);
				System.out.printf(Locale.ROOT, "%s: median %.3f ms/step (min %.3f) over %d rounds%n",
						(path == 0) ? "autograd" : "by hand", t[t.length / 2], t[0], t.length);
			}
		}
	}

	private static double[] append(double[] a, double v) {
		double[] r = (a == null) ? new double[1] : Arrays.copyOf(a, a.length + 1);
		r[r.length - 1] = v;
		return r;
	}

	private static void step(Seq2SeqModel model, ParameterStore store, List<long[]> sources, List<long[]> targets,
			int[] members, boolean byHand) {
		try (NDManager arrays = model.manager().newSubManager(); Autograd recording = Autograd.recording()) {
			if (byHand) {
				PackedSources packed = PackedSources.of(sources, members);
				long[][] ordered = IntStream.of(packed.order()).mapToObj(targets::get).toArray(long[][]::new);
				long tokens = Arrays.stream(ordered).mapToLong((target) -> target.length + 1).sum();
				SigmoidSpaceTraining.lossAndGradient(model.network(), store, packed, ordered, 1f / tokens, arrays);
			}
			else {
				SourceBatch batch = SourceBatch.of(arrays, sources, members);
				TeacherForcedLabels labelled = TeacherForcedLabels.of(arrays, targets, batch.order());
				NDArray logits = model.network().teacherForced(store, batch, labelled.inputs(), 0, true);
				NDArray loss = labelled.loss().apply(logits);
				Autograd.backward(loss);
				loss.getFloat();
			}
		}
	}

}
