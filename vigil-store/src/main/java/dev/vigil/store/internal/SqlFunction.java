package dev.vigil.store.internal;

import java.sql.Connection;
import java.sql.SQLException;

/** Work done on one connection that may fail with an {@link SQLException}. */
@FunctionalInterface
public interface SqlFunction<T> {
  T apply(Connection connection) throws SQLException;
}
