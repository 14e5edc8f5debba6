package dev.elman.training;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.elman.model.Seq2SeqModel;

/**
 * A finished run: the trained model and how it got there. The caller owns the model and
 * must close it.
 *
 * @param model the trained model (the best epoch's weights when early stopping was on)
 * @param history every epoch's report, resumed epochs included
 * @param bestEpoch the epoch whose weights the model has
 * @param stoppedEarly whether patience ran out before the last planned epoch
 * @param resumedAfterEpoch the epochs a checkpoint had already finished, 0 for a fresh
 * run
 * @param trainPairs pairs trained on
 * @param validationPairs pairs held out
 * @param corpusFingerprint SHA-256 of the corpus
 * @param settings the settings used
 */
public record TrainingResult(Seq2SeqModel model, List<EpochReport> history, int bestEpoch, boolean stoppedEarly,
		int resumedAfterEpoch, int trainPairs, int validationPairs, String corpusFingerprint,
		TrainingSettings settings) {

	/**
	 * Returns the last epoch's report.
	 * @return the report
	 */
	public EpochReport lastEpoch() {
		return this.history.get(this.history.size() - 1);
	}

	/**
	 * Returns the facts worth keeping in the model's manifest.
	 * @return a JSON-friendly map
	 */
	public Map<String, Object> metadata() {
		Map<String, Object> training = new LinkedHashMap<>();
		training.put("settings", this.settings);
		training.put("trainPairs", this.trainPairs);
		training.put("validationPairs", this.validationPairs);
		training.put("bestEpoch", this.bestEpoch);
		training.put("stoppedEarly", this.stoppedEarly);
		training.put("resumedAfterEpoch", this.resumedAfterEpoch);
		training.put("history", this.history);
		Map<String, Object> corpus = new LinkedHashMap<>();
		corpus.put("sha256", this.corpusFingerprint);
		corpus.put("pairs", this.trainPairs + this.validationPairs);
		return Map.of("training", training, "corpus", corpus);
	}

}
