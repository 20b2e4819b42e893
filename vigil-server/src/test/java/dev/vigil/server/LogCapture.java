package dev.vigil.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import dev.vigil.observe.RedactingAppender;
import dev.vigil.observe.Redactor;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Captures what Vigil's production logging would write, in both formats at once: the encoders
 * {@code logback.xml} configures for {@code text} and for {@code json} (loaded into scratch
 * contexts), behind a {@link RedactingAppender}, attached to this JVM's root logger for the
 * duration of a test, with {@code dev.vigil} at DEBUG so that every attempt's line is seen.
 */
public final class LogCapture implements AutoCloseable {
  private final LoggerContext scratch = new LoggerContext();
  private final ByteArrayOutputStream text = new ByteArrayOutputStream();
  private final ByteArrayOutputStream json = new ByteArrayOutputStream();
  private final RedactingAppender redacting = new RedactingAppender();
  private final Logger root;
  private final Logger vigil;
  private final Level vigilLevel;

  private LogCapture(Redactor redactor) {
    scratch.setMDCAdapter(MDC.getMDCAdapter());
    redacting.setContext(scratch);
    redacting.setRedactor(redactor);
    redacting.addAppender(stream("text", text));
    redacting.addAppender(stream("json", json));
    redacting.start();
    LoggerContext live = (LoggerContext) LoggerFactory.getILoggerFactory();
    root = live.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    vigil = live.getLogger("dev.vigil");
    vigilLevel = vigil.getLevel();
    vigil.setLevel(Level.DEBUG);
    root.addAppender(redacting);
  }

  /** Starts capturing through {@code redactor}. */
  public static LogCapture start(Redactor redactor) {
    return new LogCapture(redactor);
  }

  /** Every line in the text format so far. */
  public synchronized String text() {
    return text.toString(StandardCharsets.UTF_8);
  }

  /** Every line in the JSON format so far, one object a line. */
  public synchronized String json() {
    return json.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    root.detachAppender(redacting);
    vigil.setLevel(vigilLevel);
    redacting.stop();
    scratch.stop();
  }

  private OutputStreamAppender<ILoggingEvent> stream(String format, ByteArrayOutputStream out) {
    var appender = new OutputStreamAppender<ILoggingEvent>();
    appender.setContext(scratch);
    appender.setName(format);
    appender.setEncoder(encoder(format));
    appender.setOutputStream(new LockedStream(out, this));
    appender.start();
    return appender;
  }

  /** The encoder logback.xml gives the format ({@code vigil.logging.format}). */
  @SuppressWarnings("unchecked")
  private Encoder<ILoggingEvent> encoder(String format) {
    var context = new LoggerContext();
    context.setMDCAdapter(MDC.getMDCAdapter());
    context.putProperty("vigil.logging.format", format);
    var configurator = new JoranConfigurator();
    configurator.setContext(context);
    try {
      configurator.doConfigure(LogCapture.class.getResource("/logback.xml"));
    } catch (Exception e) {
      throw new IllegalStateException("logback.xml does not load", e);
    }
    var redact = (RedactingAppender) context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("REDACT");
    var console = (OutputStreamAppender<ILoggingEvent>) redact.iteratorForAppenders().next();
    return console.getEncoder();
  }

  /** Writes under the capture's lock, so readers see whole lines. */
  private static final class LockedStream extends java.io.OutputStream {
    private final ByteArrayOutputStream out;
    private final Object lock;

    LockedStream(ByteArrayOutputStream out, Object lock) {
      this.out = out;
      this.lock = lock;
    }

    @Override
    public void write(int b) {
      synchronized (lock) {
        out.write(b);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) {
      synchronized (lock) {
        out.write(b, off, len);
      }
    }
  }
}
