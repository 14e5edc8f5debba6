package dev.elman.jobs;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedDatabaseDefaultsTests {

	/**
	 * H2 closes its database for every session after a failed write (a full disk), and
	 * the pool then kept handing out connections to the closed database until a restart
	 * ("The database has been closed"). Closed here with {@code SHUTDOWN}, as the disk
	 * error closes it: each pooled connection may fail once, then connections made afresh
	 * reopen the file and find its data.
	 */
	@Test
	void thePoolOfAnEmbeddedH2DatabaseThatClosedReconnects(@TempDir Path folder) throws SQLException {
		HikariDataSource pool = new HikariDataSource();
		pool.setJdbcUrl("jdbc:h2:file:" + folder.resolve("elman") + ";DB_CLOSE_ON_EXIT=FALSE");
		pool.setMaximumPoolSize(4);
		new EmbeddedDatabaseDefaults(new MockEnvironment()).postProcessBeforeInitialization(pool, "dataSource");
		try (pool) {
			execute(pool, "CREATE TABLE kept (id INT)", "INSERT INTO kept VALUES (7)");
			// Four connections in the pool, all open on the database.
			List<Connection> held = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				held.add(pool.getConnection());
			}
			for (Connection connection : held) {
				connection.close();
			}
			try {
				execute(pool, "SHUTDOWN");
			}
			catch (SQLException ex) {
				// H2 answers the statement that closed it with "already closed".
			}

			int failures = 0;
			Integer kept = null;
			while (kept == null && failures <= 4) {
				try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
					var result = statement.executeQuery("SELECT id FROM kept");
					result.next();
					kept = result.getInt(1);
				}
				catch (SQLException ex) {
					failures++;
				}
			}
			assertThat(kept).as("read after at most one failure per pooled connection").isEqualTo(7);
		}
	}

	private static void execute(HikariDataSource pool, String... statements) throws SQLException {
		try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
			for (String sql : statements) {
				statement.execute(sql);
			}
		}
	}

}
