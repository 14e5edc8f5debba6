package dev.elman.web;

import java.io.IOException;
import java.util.function.ToLongFunction;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses JSON bodies beyond a per-path limit with 413, before anything reads them: at
 * once when {@code Content-Length} says so, and while reading a chunked body. Multipart
 * uploads are limited by Spring's multipart settings instead.
 */
public class RequestBodyLimitFilter extends OncePerRequestFilter {

	private final ToLongFunction<String> limitForPath;

	/**
	 * Creates the filter.
	 * @param limitForPath the most bytes a JSON body may have, by request path
	 */
	public RequestBodyLimitFilter(ToLongFunction<String> limitForPath) {
		this.limitForPath = limitForPath;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String type = request.getContentType();
		return type == null || !type.toLowerCase().startsWith(MediaType.APPLICATION_JSON_VALUE);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		long limit = this.limitForPath.applyAsLong(request.getRequestURI());
		long declared = request.getContentLengthLong();
		if (declared > limit) {
			ProblemResponses.write(request, response,
					ProblemResponses.problem(HttpStatus.PAYLOAD_TOO_LARGE, ProblemTypes.PAYLOAD_TOO_LARGE,
							"Request too large",
							"The request body is " + declared + " bytes; at most " + limit + " are accepted here."));
			return;
		}
		chain.doFilter(new Limited(request, limit), response);
	}

	/** Counts what is read of a body of unknown length. */
	private static final class Limited extends HttpServletRequestWrapper {

		private final long limit;

		Limited(HttpServletRequest request, long limit) {
			super(request);
			this.limit = limit;
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			ServletInputStream in = super.getInputStream();
			long limit = this.limit;
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
					if (this.read > limit) {
						throw new PayloadTooLargeException(
								"The request body is larger than the " + limit + " bytes accepted here.");
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
