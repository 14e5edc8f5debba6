package dev.elman.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Looks symbol ids up in a {@code (vocabulary, embedding)} table: a gather, not a one-hot
 * matrix product.
 */
final class TokenEmbedding extends AbstractBlock {

	private static final byte VERSION = 1;

	private final int embeddingSize;

	private final Parameter weight;

	TokenEmbedding(int vocabularySize, int embeddingSize) {
		super(VERSION);
		this.embeddingSize = embeddingSize;
		this.weight = addParameter(Parameter.builder()
			.setName("weight")
			.setType(Parameter.Type.WEIGHT)
			.optShape(new Shape(vocabularySize, embeddingSize))
			.build());
	}

	@Override
	protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
			PairList<String, Object> params) {
		NDArray ids = inputs.singletonOrThrow();
		NDArray table = parameterStore.getValue(this.weight, ids.getDevice(), training);
		// DJL's PyTorch engine throws on a null sparse format: DENSE is the plain lookup.
		return Embedding.embedding(ids, table, SparseFormat.DENSE);
	}

	@Override
	public Shape[] getOutputShapes(Shape[] inputShapes) {
		return new Shape[] { inputShapes[0].add(this.embeddingSize) };
	}

}
