package dev.elman;

/**
 * What {@code /actuator/info} may say of MKL's kernels ({@code engine.mklKernels}) when
 * nothing went wrong: the dispatch library loaded, or this processor does not need it.
 */
final class MklStatus {

	/**
	 * Every status but a failed load of the dispatch library.
	 */
	static final String LOADED_OR_NOT_NEEDED = "AVX-512 kernels on this AMD processor: .*"
			+ "|MKL's vendor check answered as on Intel's, but .*"
			+ "|MKL's own choice: (?!the dispatch library did not load).*";

	private MklStatus() {
	}

}
