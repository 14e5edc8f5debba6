package dev.elman.web;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import dev.elman.http.BadRequestException;
import dev.elman.http.PayloadTooLargeException;
import dev.elman.http.ProblemResponses;
import dev.elman.http.RequestPaths;
import dev.elman.http.RequestTimeoutException;
import dev.elman.http.ServiceProblem;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds every request body before anything parses it, whatever its content type: a
 * declared {@code Content-Length} beyond the limit is refused at once, and a body of
 * unknown length (chunked) is counted as it is read and cut off at the limit. Either way
 * the answer is 413, also when a parser was half-way through the body when it was cut
 * off. A body that takes longer than the read timeout to arrive is cut off with 408, and
 * a JSON body that is not well-formed UTF-8 with 400.
 *
 * <p>
 * Multipart bodies are parsed by the servlet container from its own stream, so beyond the
 * declared length they are bounded by Spring's multipart limits instead.
 */
class RequestBodyLimitFilter extends OncePerRequestFilter {

	/** Set on a request whose body was cut off, so error handlers can answer for it. */
	static final String EXCEEDED = RequestBodyLimitFilter.class.getName() + ".exceeded";

	private final long defaultLimit;

	private final Map<String, Long> limitsByPath;

	private final Duration readTimeout;

	/**
	 * Creates the filter.
	 * @param defaultLimit the most bytes a body may have on paths without a limit of
	 * their own
	 * @param limitsByPath larger limits for some paths, as Spring MVC matches them
	 * @param readTimeout how long a body may take to arrive
	 */
	RequestBodyLimitFilter(long defaultLimit, Map<String, Long> limitsByPath, Duration readTimeout) {
		this.defaultLimit = defaultLimit;
		this.limitsByPath = Map.copyOf(limitsByPath);
		this.readTimeout = readTimeout;
	}

	/** The path as Spring MVC routes it: {@code /train;x=1} and {@code //train} too. */
	long limitFor(HttpServletRequest request) {
		return this.limitsByPath.getOrDefault(RequestPaths.of(request), this.defaultLimit);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		long limit = limitFor(request);
		long declared = request.getContentLengthLong();
		if (declared > limit) {
			ProblemResponses.write(request, response,
					new PayloadTooLargeException(
							"The request body is " + declared + " bytes; at most " + limit + " are accepted here.")
						.getBody());
			return;
		}
		Limited limited = new Limited(request, limit, this.readTimeout, isJson(request.getContentType()));
		chain.doFilter(limited, response);
		ServiceProblem cutOff = limited.cutOff;
		if (cutOff != null && !response.isCommitted() && response.getStatus() != cutOff.getStatusCode().value()) {
			// Whatever a parser made of the cut-off body, the cause was its size or pace.
			response.reset();
			ProblemResponses.write(request, response, cutOff.getBody());
		}
	}

	/** JSON is UTF-8 (RFC 8259): its bytes are checked as they are read. */
	private static boolean isJson(String contentType) {
		if (contentType == null) {
			return false;
		}
		try {
			MediaType type = MediaType.parseMediaType(contentType);
			return MediaType.APPLICATION_JSON.isCompatibleWith(type)
					|| (type.getSubtypeSuffix() != null && type.getSubtypeSuffix().equals("json"));
		}
		catch (InvalidMediaTypeException ex) {
			return false;
		}
	}

	/** Counts what is read of a body, however it is read, and watches the clock. */
	private static final class Limited extends HttpServletRequestWrapper {

		private final long limit;

		private final long deadline;

		private final Duration readTimeout;

		private volatile ServiceProblem cutOff;

		private ServletInputStream counting;

		private BufferedReader reader;

		private final Utf8Validator utf8;

		Limited(HttpServletRequest request, long limit, Duration readTimeout, boolean json) {
			super(request);
			this.utf8 = json ? new Utf8Validator() : null;
			this.limit = limit;
			this.readTimeout = readTimeout;
			this.deadline = System.nanoTime() + readTimeout.toNanos();
		}

		@Override
		public synchronized ServletInputStream getInputStream() throws IOException {
			if (this.counting == null) {
				this.counting = new Counting(super.getInputStream());
			}
			return this.counting;
		}

		@Override
		public synchronized BufferedReader getReader() throws IOException {
			if (this.reader == null) {
				String encoding = getCharacterEncoding();
				Charset charset = (encoding != null && Charset.isSupported(encoding)) ? Charset.forName(encoding)
						: StandardCharsets.UTF_8;
				this.reader = new BufferedReader(new InputStreamReader(getInputStream(), charset));
			}
			return this.reader;
		}

		private void cutOff(ServiceProblem problem) {
			this.cutOff = problem;
			getRequest().setAttribute(EXCEEDED, problem);
			throw problem;
		}

		private final class Counting extends ServletInputStream {

			private final ServletInputStream in;

			private long read;

			Counting(ServletInputStream in) {
				this.in = in;
			}

			@Override
			public int read() throws IOException {
				int value = this.in.read();
				if (value >= 0) {
					count(1);
					check(new byte[] { (byte) value }, 0, 1);
				}
				else {
					checkEnd();
				}
				return value;
			}

			@Override
			public int read(byte[] buffer, int offset, int length) throws IOException {
				int count = this.in.read(buffer, offset, length);
				if (count > 0) {
					count(count);
					check(buffer, offset, count);
				}
				else if (count < 0) {
					checkEnd();
				}
				return count;
			}

			private void check(byte[] bytes, int offset, int length) {
				if (Limited.this.utf8 != null) {
					long bad = Limited.this.utf8.accept(bytes, offset, length);
					if (bad >= 0) {
						cutOff(new BadRequestException("The body is not valid UTF-8 (byte " + bad
								+ "): JSON is UTF-8, and overlong or surrogate forms are not allowed."));
					}
				}
			}

			private void checkEnd() {
				if (Limited.this.utf8 != null && !Limited.this.utf8.complete()) {
					cutOff(new BadRequestException("The body is not valid UTF-8: it ends inside a character."));
				}
			}

			private void count(long bytes) {
				this.read += bytes;
				if (this.read > Limited.this.limit) {
					cutOff(new PayloadTooLargeException(
							"The request body is larger than the " + Limited.this.limit + " bytes accepted here."));
				}
				if (System.nanoTime() > Limited.this.deadline) {
					cutOff(new RequestTimeoutException("The request body did not arrive within "
							+ Limited.this.readTimeout.toSeconds() + " s; send it faster or in a smaller piece."));
				}
			}

			@Override
			public boolean isFinished() {
				return this.in.isFinished();
			}

			@Override
			public boolean isReady() {
				return this.in.isReady();
			}

			@Override
			public void setReadListener(ReadListener listener) {
				this.in.setReadListener(listener);
			}

		}

	}

}
