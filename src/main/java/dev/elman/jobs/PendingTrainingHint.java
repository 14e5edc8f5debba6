package dev.elman.jobs;

import java.util.List;
import java.util.Locale;

import dev.elman.registry.ModelNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * A model asked for too early is the commonest 404 of a new user: trained a moment ago,
 * not published yet. When a job for the model is queued or running, the answer says so
 * and names the job, instead of leaving the caller to wonder whether the name is wrong.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class PendingTrainingHint {

	private static final Logger logger = LoggerFactory.getLogger(PendingTrainingHint.class);

	private final ObjectProvider<JobRepository> jobs;

	/**
	 * Takes the repository lazily: web slices of other features load this advice without
	 * it.
	 */
	PendingTrainingHint(ObjectProvider<JobRepository> jobs) {
		this.jobs = jobs;
	}

	@ExceptionHandler(ModelNotFoundException.class)
	ResponseEntity<ProblemDetail> modelNotFound(ModelNotFoundException ex) {
		ProblemDetail body = ex.getBody();
		JobRepository repository = this.jobs.getIfAvailable();
		if (ex.model() != null && ex.nothingServable() && repository != null) {
			try {
				addPendingJob(repository, body, ex.model());
			}
			catch (RuntimeException unavailable) {
				// The hint is a courtesy: without the database the 404 still stands as it
				// is.
				logger.debug("No pending-job hint for model '{}'", ex.model(), unavailable);
			}
		}
		return ResponseEntity.status(ex.getStatusCode()).headers(ex.getHeaders()).body(body);
	}

	private static void addPendingJob(JobRepository repository, ProblemDetail body, String model) {
		for (JobState state : List.of(JobState.RUNNING, JobState.QUEUED)) {
			List<TrainingJob> pending = repository.list(state, model, 0, 1);
			if (!pending.isEmpty()) {
				TrainingJob job = pending.get(0);
				body.setDetail(body.getDetail() + " A training job for it is " + state.name().toLowerCase(Locale.ROOT)
						+ " (" + job.id() + "): its model is published when the job succeeds; follow it at /jobs/"
						+ job.id() + "/events.");
				return;
			}
		}
	}

}
