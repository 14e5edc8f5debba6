package dev.elman.cluster;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ReplicaTests {

	@Test
	void aConfiguredIdIsKept() {
		assertThat(Replica.of(" elman-2 ").id()).isEqualTo("elman-2");
	}

	@Test
	void byDefaultTheIdIsTheHostAndTheProcessSoReplicasOnOneHostDiffer() {
		String id = Replica.of("").id();
		assertThat(id).endsWith("-" + ProcessHandle.current().pid());
		assertThat(Replica.of(null)).isEqualTo(Replica.of(" "));
	}

	@Test
	void anIdThatCouldNotBeATagOrAColumnIsRefusedWithTheReason() {
		for (String bad : new String[] { "a b", "-lead", "x".repeat(65), "ünï", "a\"b", "a,b" }) {
			assertThatIllegalArgumentException().isThrownBy(() -> Replica.of(bad))
				.withMessageContaining("elman.instance-id must be 1 to 64");
		}
	}

	/** Startup ends with the reason and the fix, not a stack trace. */
	@Test
	void aBadIdStopsStartupWithTheReasonAndTheFix() {
		InvalidInstanceIdException bad = catchThrowableOfType(InvalidInstanceIdException.class,
				() -> Replica.of("a b"));
		FailureAnalysis analysis = new InvalidInstanceIdFailureAnalyzer()
			.analyze(new BeanCreationException("replica", "Failed", bad));
		assertThat(analysis.getDescription()).isEqualTo(bad.getMessage());
		assertThat(analysis.getAction()).contains("Set elman.instance-id");
	}

}
