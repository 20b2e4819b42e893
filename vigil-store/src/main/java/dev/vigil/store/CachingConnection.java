package dev.vigil.store;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keeps the writer connection's prepared statements across operations. Preparing a statement
 * costs SQLite a parse and a plan, which for the short statements of a claim or a completion is
 * as much as running them, and the SQLite driver has no statement cache of its own. Operations
 * keep their plain {@code try (var ps = c.prepareStatement(sql))} shape: through this wrapper
 * {@code prepareStatement} returns a cached statement whose {@code close()} only clears its
 * parameters. At most {@code capacity} statements are kept, least recently used evicted.
 *
 * <p>Only for a connection used by one thread at a time (the writer's).
 */
final class CachingConnection implements InvocationHandler {
  private final Connection target;
  private final Map<String, PreparedStatement> cache;

  private CachingConnection(Connection target, int capacity) {
    this.target = target;
    this.cache =
        new LinkedHashMap<>(capacity, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
            if (size() <= capacity) {
              return false;
            }
            closeQuietly(eldest.getValue());
            return true;
          }
        };
  }

  static Connection wrap(Connection target, int capacity) {
    return (Connection)
        Proxy.newProxyInstance(
            CachingConnection.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            new CachingConnection(target, capacity));
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    if (method.getName().equals("prepareStatement") && args != null && args.length == 1) {
      return cached((String) args[0]);
    }
    if (method.getName().equals("close")) {
      cache.values().forEach(CachingConnection::closeQuietly);
      cache.clear();
    }
    return call(target, method, args);
  }

  private PreparedStatement cached(String sql) throws SQLException {
    PreparedStatement statement = cache.get(sql);
    if (statement == null) {
      PreparedStatement real = target.prepareStatement(sql);
      statement = keepOpen(real);
      cache.put(sql, statement);
    }
    return statement;
  }

  private static PreparedStatement keepOpen(PreparedStatement real) {
    return (PreparedStatement)
        Proxy.newProxyInstance(
            CachingConnection.class.getClassLoader(),
            new Class<?>[] {PreparedStatement.class},
            (proxy, method, args) -> {
              if (method.getName().equals("close") && (args == null || args.length == 0)) {
                real.clearParameters();
                return null;
              }
              if (method.getName().equals("unwrap")) {
                return real;
              }
              return call(real, method, args);
            });
  }

  private static Object call(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static void closeQuietly(PreparedStatement statement) {
    try {
      statement.unwrap(PreparedStatement.class).close();
    } catch (SQLException e) {
      // closing a cached statement cannot fail in a way that matters
    }
  }
}
