package dev.vigil.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a server reaches PostgreSQL when {@code store: postgres}: the {@code postgres.*} keys of
 * {@code docs/configuration.md}. Checked by {@link ServerConfig}; {@link #toString()} never shows
 * the password.
 *
 * @param url a {@code jdbc:postgresql://host:port/database} URL, or {@code null} when not given
 * @param listenUrl a URL straight to PostgreSQL for the {@code LISTEN} connection when {@code url}
 *     goes through PgBouncer in transaction mode, or {@code null} to listen on {@code url}
 * @param user the database user, or {@code null} to leave it to the URL or the driver
 * @param password the user's password, or {@code null}
 * @param poolSize connections in this node's pool (the {@code LISTEN} connection is extra)
 * @param statementTimeout the longest any one statement may run before PostgreSQL cancels it
 */
public record PostgresSettings(
    String url, String listenUrl, String user, String password, int poolSize, Duration statementTimeout) {

  /** The prefix every {@link #url} must have. */
  public static final String URL_PREFIX = "jdbc:postgresql://";

  private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)([?&]password=)[^&]*");

  /** No URL or credentials; a pool of 10 and a 5 s statement timeout. */
  public static final PostgresSettings DEFAULTS =
      new PostgresSettings(null, null, null, null, 10, Duration.ofSeconds(5));

  /** A copy with another URL. */
  public PostgresSettings withUrl(String v) {
    return new PostgresSettings(v, listenUrl, user, password, poolSize, statementTimeout);
  }

  /** A copy with another listening URL. */
  public PostgresSettings withListenUrl(String v) {
    return new PostgresSettings(url, v, user, password, poolSize, statementTimeout);
  }

  /** A copy with another user and password. */
  public PostgresSettings withCredentials(String u, String p) {
    return new PostgresSettings(url, listenUrl, u, p, poolSize, statementTimeout);
  }

  /** A copy with another pool size. */
  public PostgresSettings withPoolSize(int v) {
    return new PostgresSettings(url, listenUrl, user, password, v, statementTimeout);
  }

  /** A copy with another statement timeout. */
  public PostgresSettings withStatementTimeout(Duration v) {
    return new PostgresSettings(url, listenUrl, user, password, poolSize, v);
  }

  /**
   * The URL as it may be shown or logged: a {@code password} parameter in it (the driver accepts
   * {@code ?password=...}) reads {@code ***}.
   */
  public String safeUrl() {
    return masked(url);
  }

  /**
   * The secrets these settings hold, for the redactor to mask wherever they appear: the password,
   * and a {@code password} parameter of either URL. Nulls are left out.
   */
  public List<String> secrets() {
    var out = new ArrayList<String>();
    if (password != null) {
      out.add(password);
    }
    for (String u : new String[] {url, listenUrl}) {
      if (u != null) {
        Matcher m = PASSWORD_PARAMETER.matcher(u);
        while (m.find()) {
          out.add(u.substring(m.end(1), m.end()));
        }
      }
    }
    return out;
  }

  private static String masked(String u) {
    return u == null ? null : PASSWORD_PARAMETER.matcher(u).replaceAll("$1***");
  }

  /** The same, with the password masked, also where the URL carries one. */
  @Override
  public String toString() {
    return "PostgresSettings[url=" + safeUrl() + ", listenUrl=" + masked(listenUrl) + ", user=" + user + ", password=" + (password == null ? "none" : "***")
        + ", poolSize=" + poolSize + ", statementTimeout=" + statementTimeout + "]";
  }
}
