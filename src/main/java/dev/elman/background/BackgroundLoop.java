package dev.elman.background;

import java.util.Map;

/**
 * Work the service does on threads of its own (scans, pollers, workers), as its health
 * sees it: whether it still runs, and facts for operators.
 */
public interface BackgroundLoop {

	/**
	 * Returns the name the health details show.
	 * @return a short camel-case name, for example {@code registryScan}
	 */
	String name();

	/**
	 * Returns how the loop is doing now.
	 * @return its state
	 */
	State state();

	/**
	 * How a loop is doing.
	 *
	 * @param alive false when the loop has stopped doing its work and will not recover on
	 * its own (its threads are dead, or it has not completed a round for far longer than
	 * it should): only a restart of the service helps
	 * @param details facts for operators: counts and ages, never paths or secrets
	 */
	record State(boolean alive, Map<String, Object> details) {

	}

}
