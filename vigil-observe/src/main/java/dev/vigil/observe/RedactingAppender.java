package dev.vigil.observe;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.spi.AppenderAttachable;
import ch.qos.logback.core.spi.AppenderAttachableImpl;
import java.util.Iterator;
import java.util.Objects;

/**
 * A Logback appender that redacts every event and hands it to the appenders inside it, so every
 * layout (a pattern, the logstash JSON encoder, a file) writes the redacted text: the formatted
 * message, the arguments, exception messages (causes and suppressed included), MDC values and
 * key-value pairs all pass through one {@link Redactor}.
 *
 * <pre>{@code
 * <appender name="REDACT" class="dev.vigil.observe.RedactingAppender">
 *   <appender-ref ref="CONSOLE"/>
 * </appender>
 * <root level="INFO"><appender-ref ref="REDACT"/></root>
 * }</pre>
 *
 * <p>It starts with {@link Redactor#defaults()}; an application that configures redaction calls
 * {@link #use(LoggerContext, Redactor)} once its settings are read, which reaches every {@code
 * RedactingAppender} attached to any logger of the context.
 */
public final class RedactingAppender extends UnsynchronizedAppenderBase<ILoggingEvent>
    implements AppenderAttachable<ILoggingEvent> {
  private final AppenderAttachableImpl<ILoggingEvent> appenders = new AppenderAttachableImpl<>();
  private volatile Redactor redactor = Redactor.defaults();

  /** Redacts with {@code redactor} from now on. */
  public void setRedactor(Redactor redactor) {
    this.redactor = Objects.requireNonNull(redactor, "redactor");
  }

  public Redactor redactor() {
    return redactor;
  }

  /**
   * Makes every {@code RedactingAppender} attached to a logger of {@code context} use {@code
   * redactor}.
   *
   * @return how many appenders were found
   */
  public static int use(LoggerContext context, Redactor redactor) {
    int found = 0;
    for (Logger logger : context.getLoggerList()) {
      for (Iterator<Appender<ILoggingEvent>> it = logger.iteratorForAppenders(); it.hasNext(); ) {
        if (it.next() instanceof RedactingAppender r) {
          r.setRedactor(redactor);
          found++;
        }
      }
    }
    return found;
  }

  @Override
  public void start() {
    if (!appenders.iteratorForAppenders().hasNext()) {
      addWarn("RedactingAppender '" + getName() + "' has no appender-ref: its events go nowhere");
    }
    super.start();
  }

  @Override
  public void stop() {
    super.stop();
    appenders.detachAndStopAllAppenders();
  }

  @Override
  protected void append(ILoggingEvent event) {
    appenders.appendLoopOnAppenders(new RewrittenLoggingEvent(event, redactor));
  }

  // ---- AppenderAttachable

  @Override
  public void addAppender(Appender<ILoggingEvent> appender) {
    appenders.addAppender(appender);
  }

  @Override
  public Iterator<Appender<ILoggingEvent>> iteratorForAppenders() {
    return appenders.iteratorForAppenders();
  }

  @Override
  public Appender<ILoggingEvent> getAppender(String name) {
    return appenders.getAppender(name);
  }

  @Override
  public boolean isAttached(Appender<ILoggingEvent> appender) {
    return appenders.isAttached(appender);
  }

  @Override
  public void detachAndStopAllAppenders() {
    appenders.detachAndStopAllAppenders();
  }

  @Override
  public boolean detachAppender(Appender<ILoggingEvent> appender) {
    return appenders.detachAppender(appender);
  }

  @Override
  public boolean detachAppender(String name) {
    return appenders.detachAppender(name);
  }
}
