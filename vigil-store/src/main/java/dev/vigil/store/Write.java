package dev.vigil.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Consumer;

/**
 * One write operation, run by the {@link GroupCommitter} inside a savepoint of a shared
 * transaction. It may throw the SPI's exceptions to refuse (its savepoint is then rolled back)
 * and reports the lanes it made ready work in, to be told to listeners after the commit.
 */
@FunctionalInterface
interface Write<T> {
  T apply(Connection connection, Consumer<String> readyLanes) throws SQLException;
}
