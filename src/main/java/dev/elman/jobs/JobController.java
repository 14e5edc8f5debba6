package dev.elman.jobs;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;

import dev.elman.http.InvalidFieldException;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartHttpServletRequest;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code POST /train} and the jobs it creates.
 */
@RestController
class JobController {

	private final JobService jobs;

	private final JobEventStream events;

	private final UploadOptions uploadOptions;

	JobController(JobService jobs, JobEventStream events, JsonMapper json) {
		this.jobs = jobs;
		this.events = events;
		this.uploadOptions = new UploadOptions(json);
	}

	@PostMapping(path = "/train", consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<TrainingJob> train(@RequestBody TrainRequest request,
			@RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) throws IOException {
		return accepted(this.jobs.submit(request, idempotencyKey));
	}

	/**
	 * An upload: the corpus as a file part, the options as form fields or one JSON part.
	 * {@code POST /train} takes it too, as it always has; {@code /train/upload} is the
	 * same operation under a path of its own, since a contract can give one path one
	 * operation and generated clients use one content type per operation.
	 */
	@PostMapping(path = { "/train", "/train/upload" }, consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
	ResponseEntity<TrainingJob> trainUpload(
			@RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
			MultipartHttpServletRequest request) throws IOException {
		TrainRequest options = this.uploadOptions.read(request);
		try (InputStream in = UploadOptions.corpus(request)) {
			return accepted(this.jobs.submit(options, in, idempotencyKey));
		}
	}

	private static ResponseEntity<TrainingJob> accepted(TrainingJob job) {
		return ResponseEntity.status(HttpStatus.ACCEPTED).location(URI.create("/jobs/" + job.id())).body(job);
	}

	@GetMapping("/jobs")
	JobService.JobPage list(@RequestParam(required = false) JobState state,
			@RequestParam(required = false) String model, @RequestParam(defaultValue = "0") @Min(0) int page,
			@RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
		return this.jobs.list(state, model, page, size);
	}

	@GetMapping("/jobs/{id}")
	TrainingJob get(@PathVariable String id) {
		return this.jobs.get(id);
	}

	@PostMapping("/jobs/{id}/cancel")
	ResponseEntity<TrainingJob> cancel(@PathVariable String id) {
		TrainingJob job = this.jobs.cancel(id);
		// A running job stops within a step; until then it is still RUNNING.
		return ResponseEntity.status(job.state().isFinished() ? HttpStatus.OK : HttpStatus.ACCEPTED).body(job);
	}

	@GetMapping(path = "/jobs/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	SseEmitter events(@PathVariable String id) {
		return this.events.watch(id);
	}

}
