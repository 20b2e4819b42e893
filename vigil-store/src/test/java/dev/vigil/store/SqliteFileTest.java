package dev.vigil.store;

import static dev.vigil.store.TestJobs.ready;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite file itself: where it is created, its journal, durability setting and schema. */
class SqliteFileTest {
  @TempDir Path dir;

  @Test
  void the_file_is_created_with_its_missing_parent_directories() {
    Path file = dir.resolve("data/nested/deeper/vigil.db");

    try (SqliteJobStore store = SqliteJobStore.open(file)) {
      store.enqueue(List.of(ready("background")));
    }

    assertThat(file).isRegularFile();
  }

  @Test
  void the_journal_is_in_wal_mode() throws SQLException {
    Path file = dir.resolve("vigil.db");
    try (SqliteJobStore store = SqliteJobStore.open(file);
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
      assertThat(pragma(c, "journal_mode")).isEqualTo("wal");
    }
  }

  @Test
  void commits_are_fsynced_by_default_and_normal_can_be_chosen() {
    try (SqliteJobStore store = SqliteJobStore.open(dir.resolve("full.db"))) {
      assertThat(writerPragma(store, "synchronous")).isEqualTo("2");
      assertThat(writerPragma(store, "foreign_keys")).isEqualTo("1");
    }
    try (SqliteJobStore store =
        SqliteJobStore.builder(dir.resolve("normal.db")).synchronousFull(false).build()) {
      assertThat(writerPragma(store, "synchronous")).isEqualTo("1");
    }
  }

  @Test
  void reopening_keeps_the_jobs_and_applies_each_migration_once() throws SQLException {
    Path file = dir.resolve("vigil.db");
    NewJob job = ready("background");
    try (SqliteJobStore store = SqliteJobStore.open(file)) {
      store.enqueue(List.of(job));
    }

    try (SqliteJobStore store = SqliteJobStore.open(file);
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        var rs = c.createStatement().executeQuery(
            "SELECT version, success FROM flyway_schema_history WHERE version IS NOT NULL"
                + " ORDER BY installed_rank")) {
      assertThat(store.get(job.id())).isPresent();
      var applied = new java.util.ArrayList<String>();
      while (rs.next()) {
        assertThat(rs.getBoolean("success")).isTrue();
        applied.add(rs.getString("version"));
      }
      assertThat(applied).containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9", "11", "12", "13");
    }
  }

  @Test
  void a_file_that_is_not_a_database_fails_to_open_with_a_store_exception() throws IOException {
    Path file = Files.writeString(dir.resolve("vigil.db"), "this is not a database, honestly ".repeat(200));

    assertThatThrownBy(() -> SqliteJobStore.open(file)).isInstanceOf(StoreException.class);
  }

  @Test
  void the_builder_refuses_settings_that_cannot_work() {
    var builder = SqliteJobStore.builder(dir.resolve("vigil.db"));

    assertThatThrownBy(() -> builder.maxBatch(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.readers(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.groupCommitWindow(java.time.Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static String writerPragma(SqliteJobStore store, String name) {
    return store.<String>execute((c, lanes) -> pragma(c, name));
  }

  private static String pragma(Connection c, String name) throws SQLException {
    try (var rs = c.createStatement().executeQuery("PRAGMA " + name)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
