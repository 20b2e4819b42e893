package dev.vigil.server;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.joran.util.ConfigurationWatchListUtil;
import dev.vigil.observe.RedactingAppender;
import dev.vigil.observe.Redactor;
import java.net.URL;
import java.util.Locale;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Sets up the console logs of a Vigil process: the format ({@code json} or {@code text}) and the
 * redactor every line passes through. The CLI calls it as soon as a command knows its settings.
 *
 * <p>Vigil's {@code logback.xml} reads the format from the system property {@value #PROPERTY};
 * {@link #apply} sets it and reloads that configuration. An application that brought its own
 * Logback configuration keeps it: only the redactor of its {@link RedactingAppender}s (if any)
 * changes.
 */
public final class LogSetup {
  /** The system property {@code logback.xml} reads the format from. */
  public static final String PROPERTY = "vigil.logging.format";

  /** The console log formats. */
  public enum Format {
    /** One JSON object per line (logstash encoder): for log shippers. */
    JSON,
    /** Readable lines: for people at a terminal. */
    TEXT;

    /** The name in configuration: {@code json} or {@code text}. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The format named {@code name} (any case).
     *
     * @throws IllegalArgumentException for any other name
     */
    public static Format of(String name) {
      for (Format f : values()) {
        if (f.wireName().equalsIgnoreCase(name.strip())) {
          return f;
        }
      }
      throw new IllegalArgumentException("must be json or text");
    }
  }

  private LogSetup() {}

  /**
   * The format to use: the system property {@value #PROPERTY} when it is set (a developer's
   * override), else the configured one, else the command's default.
   */
  public static Format resolve(Format configured, Format commandDefault) {
    String property = System.getProperty(PROPERTY);
    if (property != null && !property.isBlank()) {
      try {
        return Format.of(property);
      } catch (IllegalArgumentException e) {
        // an unusable property is ignored; the configuration decides
      }
    }
    return configured != null ? configured : commandDefault;
  }

  /**
   * Logs in {@code format} through {@code redactor} from now on.
   *
   * @return whether Vigil's own configuration was reloaded in that format (false when the
   *     application configures Logback itself, or logs through another SLF4J binding)
   */
  public static boolean apply(Format format, Redactor redactor) {
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (!(factory instanceof LoggerContext context)) {
      return false;
    }
    boolean reloaded = false;
    URL config = ConfigurationWatchListUtil.getMainWatchURL(context);
    if (config != null && config.getPath().endsWith("/logback.xml") && isVigils(config)) {
      System.setProperty(PROPERTY, format.wireName());
      reload(context, config);
      reloaded = true;
    }
    RedactingAppender.use(context, redactor);
    return reloaded;
  }

  /** Whether the configuration at {@code url} is Vigil's (it names the REDACT appender). */
  private static boolean isVigils(URL url) {
    try (var in = url.openStream()) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
          .contains("dev.vigil.observe.RedactingAppender");
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static void reload(LoggerContext context, URL config) {
    context.reset();
    var configurator = new JoranConfigurator();
    configurator.setContext(context);
    try {
      configurator.doConfigure(config);
    } catch (JoranException e) {
      // Logback has recorded the problem in its status list and logs to the console regardless
    }
  }
}
