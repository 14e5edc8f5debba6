package dev.elman.jobs;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;

import dev.elman.http.InvalidFieldException;
import jakarta.servlet.ServletException;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
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

	JobController(JobService jobs, JobEventStream events) {
		this.jobs = jobs;
		this.events = events;
	}

	@PostMapping(path = "/train", consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<TrainingJob> train(@RequestBody TrainRequest request,
			@RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) throws IOException {
		return accepted(this.jobs.submit(request, idempotencyKey));
	}

	@PostMapping(path = "/train", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
	ResponseEntity<TrainingJob> trainUpload(@RequestPart("options") TrainRequest options,
			@RequestPart("corpus") MultipartFile corpus,
			@RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
			MultipartHttpServletRequest request) throws IOException {
		// Two corpora or two sets of options: which one was meant is not ours to guess.
		for (String part : List.of("options", "corpus")) {
			if (countParts(request, part) > 1) {
				throw InvalidFieldException.withDetail(part, "The upload has more than one '" + part + "' part.");
			}
		}
		try (InputStream in = corpus.getInputStream()) {
			return accepted(this.jobs.submit(options, in, idempotencyKey));
		}
	}

	private static long countParts(MultipartHttpServletRequest request, String name) throws IOException {
		try {
			return request.getParts().stream().filter((part) -> name.equals(part.getName())).count();
		}
		catch (ServletException ex) {
			// Unreadable parts fail the request's own part resolution, with their reason.
			return 0;
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
