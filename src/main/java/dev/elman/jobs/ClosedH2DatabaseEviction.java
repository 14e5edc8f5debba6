package dev.elman.jobs;

import java.sql.SQLException;

import com.zaxxer.hikari.SQLExceptionOverride;

/**
 * Tells the connection pool to drop a connection whose embedded H2 database has closed.
 *
 * <p>
 * Why: after a write fails (a full disk: "No space left on device"), H2 closes the
 * database file for every session, and each pooled connection then fails with "The
 * database has been closed" until the service restarts, while a connection made afresh
 * reopens the file at its last complete state. The pool evicts a connection only for
 * errors it knows to mean a broken connection (SQL states {@code 08...}), which H2's are
 * not. The codes are H2's {@code ErrorCode.DATABASE_IS_CLOSED} and
 * {@code DATABASE_CALLED_AT_SHUTDOWN}; H2 is only on the runtime class path.
 */
final class ClosedH2DatabaseEviction implements SQLExceptionOverride {

	private static final int DATABASE_IS_CLOSED = 90098;

	private static final int DATABASE_CALLED_AT_SHUTDOWN = 90121;

	@java.lang.Override
	public Override adjudicate(SQLException ex) {
		int code = ex.getErrorCode();
		return (code == DATABASE_IS_CLOSED || code == DATABASE_CALLED_AT_SHUTDOWN) ? Override.MUST_EVICT
				: Override.CONTINUE_EVICT;
	}

}
