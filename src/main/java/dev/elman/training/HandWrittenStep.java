package dev.elman.training;

import java.util.List;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.elman.model.PackedSources;
import dev.elman.model.Seq2SeqModel;
import dev.elman.model.SigmoidSpaceTraining;

/**
 * Which batches the step written out by hand ({@link SigmoidSpaceTraining}) takes, and
 * the packing it takes them in: training and held-out evaluation decide alike.
 */
final class HandWrittenStep {

	private HandWrittenStep() {
	}

	/**
	 * Whether a batch is computed by hand: the model and the truncation window allow it
	 * and its one-hot matrices fit. Decided for a whole batch, so the parts a training
	 * step splits it into all land in one place.
	 * @param model the model
	 * @param plan the lengths of the pairs
	 * @param members the batch's pairs
	 * @param window the truncation window in steps, 0 for none
	 * @return whether {@link SigmoidSpaceTraining} takes the batch
	 */
	static boolean applies(Seq2SeqModel model, BatchPlan plan, int[] members, int window) {
		int longestSource = 0;
		int longestTarget = 0;
		long sourceSymbols = 0;
		for (int row : members) {
			longestSource = Math.max(longestSource, plan.sourceLength(row));
			longestTarget = Math.max(longestTarget, plan.targetLength(row));
			sourceSymbols += plan.sourceLength(row);
		}
		int symbols = model.vocabulary().size();
		return SigmoidSpaceTraining.supports(model.spec(), model.device(), symbols, window, longestSource,
				longestTarget + 1)
				&& SigmoidSpaceTraining.fits(symbols, members.length, longestTarget + 1, sourceSymbols);
	}

	/**
	 * Some rows' sources packed, and their targets in the packed order.
	 *
	 * @param sources the sources packed
	 * @param targets the targets of the rows in {@link PackedSources#order()}
	 */
	record Rows(PackedSources sources, long[][] targets) {

		static Rows of(List<long[]> sources, List<long[]> targets, int[] rows) {
			PackedSources packed = PackedSources.of(sources, rows);
			int[] order = packed.order();
			long[][] ordered = new long[order.length][];
			for (int i = 0; i < order.length; i++) {
				ordered[i] = targets.get(order[i]);
			}
			return new Rows(packed, ordered);
		}

		/**
		 * The loss of these rows and its gradient, each real label counting the scale.
		 */
		SigmoidSpaceTraining.Step lossAndGradient(Seq2SeqModel model, ParameterStore parameters, float scale,
				NDManager manager) {
			return SigmoidSpaceTraining.lossAndGradient(model.network(), parameters, this.sources, this.targets, scale,
					manager);
		}

		/**
		 * The loss of these rows alone, each real label counting the scale.
		 */
		float loss(Seq2SeqModel model, ParameterStore parameters, float scale, NDManager manager) {
			return SigmoidSpaceTraining.loss(model.network(), parameters, this.sources, this.targets, scale, manager);
		}

	}

}
