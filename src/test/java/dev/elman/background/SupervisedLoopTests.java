package dev.elman.background;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class SupervisedLoopTests {

	@Test
	void anErrorInARoundIsLoggedAndTheNextRoundRuns() {
		AtomicInteger rounds = new AtomicInteger();
		try (SupervisedLoop loop = SupervisedLoop.every("test", "test-loop", Duration.ofMillis(10),
				Duration.ofMinutes(1), () -> {
					if (rounds.incrementAndGet() == 1) {
						throw new OutOfMemoryError("Java heap space");
					}
				})) {
			await().atMost(Duration.ofSeconds(5)).until(() -> rounds.get() >= 3);
			assertThat(loop.state().alive()).isTrue();
			assertThat(loop.state().details()).containsEntry("failedRounds", 1L).containsEntry("restarts", 0L);
		}
	}

	@Test
	@SuppressWarnings({ "deprecation", "removal" })
	void aThreadThatDiesIsReplacedAndTheLoopGoesOn() throws Exception {
		AtomicInteger rounds = new AtomicInteger();
		CountDownLatch firstRound = new CountDownLatch(1);
		try (SupervisedLoop loop = SupervisedLoop.every("test", "test-loop", Duration.ofMillis(300),
				Duration.ofMinutes(1), () -> {
					rounds.incrementAndGet();
					firstRound.countDown();
				})) {
			assertThat(firstRound.await(5, TimeUnit.SECONDS)).isTrue();
			Thread first = loop.thread();
			// Dies in its pause between rounds, outside any handler of the loop's own.
			await().atMost(Duration.ofSeconds(5))
				.until(() -> first.getState() == Thread.State.TIMED_WAITING
						&& java.util.Arrays.stream(first.getStackTrace())
							.anyMatch((frame) -> frame.getMethodName().equals("pause")));
			first.stop();
			first.join(5000);
			assertThat(first.isAlive()).isFalse();
			await().atMost(Duration.ofSeconds(5)).until(() -> rounds.get() >= 3);
			assertThat(loop.thread()).isNotSameAs(first);
			assertThat(loop.thread().isAlive()).isTrue();
			assertThat(loop.state().details()).containsEntry("restarts", 1L);
			assertThat(loop.state().alive()).isTrue();
		}
	}

	@Test
	void aLoopThatCompletesNoRoundForTooLongIsNotAlive() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		try (SupervisedLoop loop = SupervisedLoop.every("test", "test-loop", Duration.ofMillis(10), Duration.ZERO,
				release::await)) {
			await().atMost(Duration.ofSeconds(5)).until(() -> !loop.state().alive());
			release.countDown();
		}
	}

	@Test
	void aClosedLoopIsNoFaultAndItsThreadEnds() throws Exception {
		SupervisedLoop loop = SupervisedLoop.continuously("test", "test-loop", () -> Thread.sleep(60_000));
		Thread thread = loop.thread();
		loop.close();
		assertThat(thread.isAlive()).isFalse();
		assertThat(loop.state().alive()).isTrue();
		assertThat(loop.state().details()).containsEntry("running", false);
	}

}
