package dev.elman.web;

import java.io.IOException;
import java.util.Map;

import dev.elman.http.PayloadTooLargeException;
import dev.elman.http.ProblemResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds every request body before anything parses it, whatever its content type: a
 * declared {@code Content-Length} beyond the limit is refused at once, and a body of
 * unknown length (chunked) is counted as it is read and cut off at the limit. Either way
 * the answer is 413, also when a parser was half-way through the body when it was cut
 * off.
 *
 * <p>
 * Multipart bodies are parsed by the servlet container from its own stream, so beyond the
 * declared length they are bounded by Spring's multipart limits instead.
 */
class RequestBodyLimitFilter extends OncePerRequestFilter {

	/** Set on a request whose body was cut off, so error handlers can answer 413. */
	static final String EXCEEDED = RequestBodyLimitFilter.class.getName() + ".exceeded";

	private final long defaultLimit;

	private final Map<String, Long> limitsByPath;

	/**
	 * Creates the filter.
	 * @param defaultLimit the most bytes a body may have on paths without a limit of
	 * their own
	 * @param limitsByPath larger limits for some exact paths
	 */
	RequestBodyLimitFilter(long defaultLimit, Map<String, Long> limitsByPath) {
		this.defaultLimit = defaultLimit;
		this.limitsByPath = Map.copyOf(limitsByPath);
	}

	long limitFor(String path) {
		return this.limitsByPath.getOrDefault(path, this.defaultLimit);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		long limit = limitFor(request.getRequestURI());
		long declared = request.getContentLengthLong();
		if (declared > limit) {
			ProblemResponses.write(request, response,
					new PayloadTooLargeException(
							"The request body is " + declared + " bytes; at most " + limit + " are accepted here.")
						.getBody());
			return;
		}
		Limited limited = new Limited(request, limit);
		chain.doFilter(limited, response);
		if (limited.exceeded != null && !response.isCommitted() && response.getStatus() != 413) {
			// Whatever a parser made of the cut-off body, the cause was its size.
			response.reset();
			ProblemResponses.write(request, response, limited.exceeded.getBody());
		}
	}

	/** Counts what is read of a body of unknown length. */
	private static final class Limited extends HttpServletRequestWrapper {

		private final long limit;

		private volatile PayloadTooLargeException exceeded;

		Limited(HttpServletRequest request, long limit) {
			super(request);
			this.limit = limit;
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			ServletInputStream in = super.getInputStream();
			return new ServletInputStream() {

				private long read;

				@Override
				public int read() throws IOException {
					int value = in.read();
					if (value >= 0) {
						count(1);
					}
					return value;
				}

				@Override
				public int read(byte[] buffer, int offset, int length) throws IOException {
					int count = in.read(buffer, offset, length);
					if (count > 0) {
						count(count);
					}
					return count;
				}

				private void count(long bytes) {
					this.read += bytes;
					if (this.read > Limited.this.limit) {
						PayloadTooLargeException tooLarge = new PayloadTooLargeException(
								"The request body is larger than the " + Limited.this.limit + " bytes accepted here.");
						Limited.this.exceeded = tooLarge;
						getRequest().setAttribute(EXCEEDED, tooLarge);
						throw tooLarge;
					}
				}

				@Override
				public boolean isFinished() {
					return in.isFinished();
				}

				@Override
				public boolean isReady() {
					return in.isReady();
				}

				@Override
				public void setReadListener(ReadListener listener) {
					in.setReadListener(listener);
				}

			};
		}

	}

}
