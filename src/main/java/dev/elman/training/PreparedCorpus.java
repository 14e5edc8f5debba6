package dev.elman.training;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;

import dev.elman.corpus.TextPair;
import dev.elman.model.ModelSpec;
import dev.elman.model.TextCodec;
import dev.elman.model.Vocabulary;

/**
 * A corpus split into training and held-out pairs and turned into ids.
 *
 * <p>
 * The split is numpy's: the pairs are shuffled with the seed and the last
 * {@code floor(n * validationFraction)} are held out, so seed 1984 and 10% give the same
 * 5,000 validation lines as the book. The vocabulary comes from the training pairs only:
 * a symbol seen only in held-out pairs is unknown to the model, as it would be in
 * serving.
 */
final class PreparedCorpus {

	final Vocabulary vocabulary;

	final List<long[]> trainSources;

	final List<long[]> trainTargets;

	final List<long[]> validationSources;

	final List<long[]> validationTargets;

	final String fingerprint;

	final int pairs;

	private PreparedCorpus(Vocabulary vocabulary, int pairs, String fingerprint) {
		this.vocabulary = vocabulary;
		this.pairs = pairs;
		this.fingerprint = fingerprint;
		// Packed, not one array per sequence: a corpus of a million pairs stays a few
		// times the size of its text.
		this.trainSources = new PackedSequences(vocabulary.size());
		this.trainTargets = new PackedSequences(vocabulary.size());
		this.validationSources = new PackedSequences(vocabulary.size());
		this.validationTargets = new PackedSequences(vocabulary.size());
	}

	static PreparedCorpus prepare(List<TextPair> corpus, ModelSpec spec, TrainingSettings settings) {
		if (corpus.isEmpty()) {
			throw new IllegalArgumentException("The corpus is empty");
		}
		int n = corpus.size();
		int[] order = new NumpyShuffle(settings.seed()).permutation(n);
		int heldOut = (int) Math.floor(n * settings.validationFraction() + 1e-9);
		if (heldOut >= n) {
			heldOut = n - 1;
		}
		int trainSize = n - heldOut;
		// Split as the vocabulary counts them, one at a time: held all at once, a million
		// pairs' symbols as strings took gigabytes.
		Iterable<List<String>> sequences = () -> IntStream.range(0, trainSize * 2).mapToObj((k) -> {
			TextPair pair = corpus.get(order[k / 2]);
			return spec.tokenization().split((k % 2 == 0) ? pair.source() : pair.target());
		}).iterator();
		Vocabulary vocabulary = Vocabulary.build(sequences, settings.maxVocabularySize());
		PreparedCorpus prepared = new PreparedCorpus(vocabulary, n, fingerprint(corpus));
		TextCodec codec = new TextCodec(spec, vocabulary);
		for (int i = 0; i < n; i++) {
			TextPair pair = corpus.get(order[i]);
			long[] source = codec.encodeSource(pair.source()).ids();
			long[] target = codec.encodeTarget(pair.target()).ids();
			if (source.length == 0 || target.length == 0) {
				throw new IllegalArgumentException("A pair has no symbols on one side: " + pair);
			}
			(i < trainSize ? prepared.trainSources : prepared.validationSources).add(source);
			(i < trainSize ? prepared.trainTargets : prepared.validationTargets).add(target);
		}
		return prepared;
	}

	/** SHA-256 over the pairs in corpus order, to recognise the same corpus on resume. */
	static String fingerprint(List<TextPair> corpus) {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			for (TextPair pair : corpus) {
				digest.update(pair.source().getBytes(StandardCharsets.UTF_8));
				digest.update((byte) 0);
				digest.update(pair.target().getBytes(StandardCharsets.UTF_8));
				digest.update((byte) '\n');
			}
			return HexFormat.of().formatHex(digest.digest());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
		}
	}

	boolean hasValidation() {
		return !this.validationSources.isEmpty();
	}

	long trainTargetTokens() {
		long tokens = 0;
		for (long[] target : this.trainTargets) {
			tokens += target.length + 1;
		}
		return tokens;
	}

}
