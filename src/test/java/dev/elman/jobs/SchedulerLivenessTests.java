package dev.elman.jobs;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.kagkarlsson.scheduler.event.SchedulerListener.SchedulerEventType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SchedulerLivenessTests {

	private final AtomicInteger executing = new AtomicInteger();

	private Thread poller = Thread.currentThread();

	private final SchedulerLiveness liveness = new SchedulerLiveness(Duration.ofMillis(300), Duration.ofMillis(300),
			this.executing::get, () -> this.poller);

	@Test
	void aPollerWhoseRoundsFailBecauseTheDatabaseIsDownIsAlive() throws Exception {
		this.liveness.started();
		this.executing.set(1);
		for (int i = 0; i < 8; i++) {
			Thread.sleep(100);
			this.liveness.onSchedulerEvent(SchedulerEventType.UNEXPECTED_ERROR);
		}
		// No heartbeat either: they cannot be written without the database.
		assertThat(this.liveness.state().alive()).isTrue();
		assertThat(this.liveness.state().details()).containsEntry("databaseReachable", false);
	}

	@Test
	void aPollerWithoutRoundsIsGone() throws Exception {
		this.liveness.started();
		Thread.sleep(400);
		assertThat(this.liveness.state().alive()).isFalse();
		assertThat(this.liveness.state().details().get("error").toString()).contains("not picked up");
	}

	@Test
	void errorsOfOtherThreadsAreNoRoundOfThePoller() throws Exception {
		this.poller = new Thread(() -> {
		});
		this.liveness.started();
		for (int i = 0; i < 5; i++) {
			Thread.sleep(100);
			this.liveness.onSchedulerEvent(SchedulerEventType.UNEXPECTED_ERROR);
		}
		assertThat(this.liveness.state().alive()).isFalse();
	}

	@Test
	void heartbeatsMissingWhileTheDatabaseAnswersMeanTheHeartbeatThreadIsGone() throws Exception {
		this.liveness.started();
		this.executing.set(1);
		for (int i = 0; i < 5; i++) {
			Thread.sleep(100);
			this.liveness.onSchedulerEvent(SchedulerEventType.RAN_EXECUTE_DUE);
		}
		assertThat(this.liveness.state().alive()).isFalse();
		assertThat(this.liveness.state().details().get("error").toString()).contains("No heartbeat", "dead");
		this.liveness.onSchedulerEvent(SchedulerEventType.RAN_UPDATE_HEARTBEATS);
		assertThat(this.liveness.state().alive()).isTrue();
	}

	@Test
	void aStoppedSchedulerIsNoFault() throws Exception {
		this.liveness.started();
		this.liveness.stopped();
		Thread.sleep(400);
		assertThat(this.liveness.state().alive()).isTrue();
	}

}
