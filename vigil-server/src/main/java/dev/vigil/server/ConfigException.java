package dev.vigil.server;

import dev.vigil.VigilException;

/**
 * Thrown when the server's configuration is invalid or cannot be used. The message is one line
 * that names the key (or the environment variable it came from) and the reason, ready to print to
 * an operator, e.g. {@code server.port: must be between 0 and 65535 (got 70000)} or {@code
 * server.prot: unknown key}.
 */
public final class ConfigException extends VigilException {
  private static final long serialVersionUID = 1L;

  private final String key;
  private final String reason;

  public ConfigException(String key, String reason) {
    super(key + ": " + reason);
    this.key = key;
    this.reason = reason;
  }

  /** The offending key, e.g. {@code server.port} or {@code lanes[2].weight}. */
  public String key() {
    return key;
  }

  /** Why the value was refused, without the key. */
  public String reason() {
    return reason;
  }
}
