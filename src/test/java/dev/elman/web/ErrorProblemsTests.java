package dev.elman.web;

import java.io.IOException;
import java.time.Duration;

import dev.elman.http.ProblemTypes;
import dev.elman.http.ServiceUnavailableException;
import org.apache.catalina.connector.ClientAbortException;
import org.junit.jupiter.api.Test;

import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockServletContext;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorProblemsTests {

	/**
	 * Only a bare 400 that nothing of the service saw, while it stops, is the container's
	 * shutdown refusing a request: then 503, to retry. Every other case keeps its status.
	 */
	@Test
	void aRequestTheContainerRefusedWhileStoppingIsToBeRetriedNotBlamedOnTheClient() {
		assertThat(ErrorProblems.refusedWhileStopping(400, false, true)).isTrue();
		assertThat(ErrorProblems.refusedWhileStopping(400, false, false)).as("not stopping").isFalse();
		assertThat(ErrorProblems.refusedWhileStopping(400, true, true)).as("the service read it").isFalse();
		assertThat(ErrorProblems.refusedWhileStopping(404, false, true)).as("another status").isFalse();
		ProblemDetail problem = ServiceUnavailableException.shuttingDown(Duration.ofSeconds(1)).getBody();
		assertThat(problem.getStatus()).isEqualTo(503);
		assertThat(problem.getType()).isEqualTo(ProblemTypes.SHUTTING_DOWN);
	}

	/**
	 * A client that hangs up mid-answer raises an {@code IOException} in the writer: not
	 * a storage failure to log as an error and answer 503, but nothing to answer at all.
	 */
	@Test
	void aClientThatHungUpIsNotAStorageFailure() {
		ApiExceptionHandler handler = new ApiExceptionHandler();
		assertThat(handler.storage(new ClientAbortException(new IOException("Broken pipe")))).isNull();
		assertThat(handler.storage(new IOException("Connection reset by peer"))).isNull();
		ResponseEntity<Object> diskFull = handler.storage(new IOException("No space left on device"));
		assertThat(diskFull.getStatusCode().value()).isEqualTo(503);
		assertThat(((ProblemDetail) diskFull.getBody()).getType()).isEqualTo(ProblemTypes.STORAGE_UNAVAILABLE);
	}

	@Test
	void aServiceIsStoppingOnceItsDrainBegins() {
		MockServletContext context = new MockServletContext();
		ShutdownDrain drain = new ShutdownDrain(new ShutdownProperties(Duration.ZERO));
		drain.setServletContext(context);
		drain.start();
		assertThat(ShutdownDrain.isStopping(context)).isFalse();
		drain.stop();
		assertThat(ShutdownDrain.isStopping(context)).isTrue();
		assertThat(ShutdownDrain.isStopping(null)).isFalse();
		assertThat(ShutdownDrain.isStopping(new MockServletContext())).as("another service").isFalse();
	}

}
