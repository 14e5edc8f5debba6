package dev.elman.training;

import java.util.List;

import dev.elman.model.ModelSpec;

/**
 * Where a run stood when its checkpoint was written.
 *
 * @param epochsCompleted epochs finished
 * @param corpusFingerprint SHA-256 of the corpus, so a checkpoint is never resumed on
 * other data
 * @param spec the architecture
 * @param settings the training settings
 * @param bestEpoch the epoch with the lowest validation loss so far, 0 if none
 * @param bestValidationLoss that loss, null if none
 * @param epochsWithoutImprovement epochs since the best one
 * @param history every finished epoch's report
 * @param partial how far the run got into the next epoch when it was stopped in the
 * middle of one (a shutdown), null after a finished epoch
 */
record CheckpointState(int epochsCompleted, String corpusFingerprint, ModelSpec spec, TrainingSettings settings,
		int bestEpoch, Double bestValidationLoss, int epochsWithoutImprovement, List<EpochReport> history,
		PartialEpoch partial) {

}
