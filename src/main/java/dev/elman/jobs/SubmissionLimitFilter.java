package dev.elman.jobs;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Semaphore;

import dev.elman.http.ProblemResponses;
import dev.elman.http.ProblemTypes;
import dev.elman.http.RequestPaths;
import dev.elman.http.ServiceUnavailableException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * At most a few {@code POST /train} requests are read at once. An inline corpus may be
 * tens of megabytes of JSON, held in memory while it is checked: without this bound, a
 * handful of such requests at the same moment would exhaust the heap. Beyond the bound
 * the answer is 429 with {@code Retry-After}, before the body is read.
 */
class SubmissionLimitFilter extends OncePerRequestFilter {

	private final Semaphore permits;

	private final int limit;

	SubmissionLimitFilter(int limit) {
		this.limit = limit;
		this.permits = new Semaphore(limit);
	}

	/**
	 * How many training requests hold a place now, their bodies being read or checked.
	 */
	int reading() {
		return this.limit - this.permits.availablePermits();
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		// The path as Spring MVC routes it: /train;x=1 and //train are /train too.
		String path = RequestPaths.of(request);
		return !("POST".equals(request.getMethod()) && ("/train".equals(path) || "/train/upload".equals(path)));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!this.permits.tryAcquire()) {
			ServiceUnavailableException busy = new ServiceUnavailableException(429, ProblemTypes.TOO_MANY_REQUESTS,
					"Too many training requests are being received at once (" + this.limit + "); retry shortly.",
					Duration.ofSeconds(2));
			response.setHeader("Retry-After", busy.getHeaders().getFirst("Retry-After"));
			ProblemResponses.write(request, response, busy.getBody());
			return;
		}
		try {
			chain.doFilter(request, response);
		}
		finally {
			this.permits.release();
		}
	}

}
