package dev.elman.web;

import java.io.IOException;
import java.io.PrintWriter;

import dev.elman.http.ProblemResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The last safety net for the promise that every error has a problem body: an error
 * status that a handler set without writing anything (Spring Boot's actuator answers an
 * unknown health group with a bare 404, say) gets one. The body is not buffered; only
 * whether any was written is watched, so streams pass through untouched.
 */
class EmptyErrorBodyFilter extends OncePerRequestFilter {

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Watched watched = new Watched(response);
		chain.doFilter(request, watched);
		if (request.isAsyncStarted() || "HEAD".equals(request.getMethod()) || watched.written || response.isCommitted()
				|| response.getStatus() < 400) {
			return;
		}
		ProblemResponses.write(request, response,
				ErrorProblems.forStatus(response.getStatus(), request.getMethod() + " " + request.getRequestURI()));
	}

	/** Notes whether any body was written, without keeping it. */
	private static final class Watched extends HttpServletResponseWrapper {

		private boolean written;

		private ServletOutputStream stream;

		private PrintWriter writer;

		Watched(HttpServletResponse response) {
			super(response);
		}

		@Override
		public ServletOutputStream getOutputStream() throws IOException {
			if (this.stream == null) {
				ServletOutputStream out = super.getOutputStream();
				this.stream = new ServletOutputStream() {

					@Override
					public void write(int b) throws IOException {
						Watched.this.written = true;
						out.write(b);
					}

					@Override
					public void write(byte[] bytes, int offset, int length) throws IOException {
						Watched.this.written |= length > 0;
						out.write(bytes, offset, length);
					}

					@Override
					public void flush() throws IOException {
						out.flush();
					}

					@Override
					public void close() throws IOException {
						out.close();
					}

					@Override
					public boolean isReady() {
						return out.isReady();
					}

					@Override
					public void setWriteListener(WriteListener listener) {
						out.setWriteListener(listener);
					}

				};
			}
			return this.stream;
		}

		@Override
		public PrintWriter getWriter() throws IOException {
			if (this.writer == null) {
				// A writer that writes at all counts as a body; its content is not
				// needed.
				this.written = true;
				this.writer = super.getWriter();
			}
			return this.writer;
		}

	}

}
