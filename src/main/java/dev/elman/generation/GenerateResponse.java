package dev.elman.generation;

import java.util.List;

import dev.elman.model.Generation;

/**
 * The outputs of a generate request, in the order of its inputs.
 *
 * @param model the model name
 * @param version the version that decoded them
 * @param outputs one generation per input
 */
record GenerateResponse(String model, int version, List<Generation> outputs) {

}
