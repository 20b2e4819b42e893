package dev.vigil.observe;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.LoggerContextVO;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;

/**
 * A logging event with every piece of its text passed through one function: the formatted message,
 * the message, the arguments, exception messages, MDC values and key-value pairs. {@link
 * RedactingAppender} rewrites with its {@link Redactor}, {@link OneLineLayout} with {@link
 * ControlCharacters#escape}. The rewritten parts are computed on first use and kept, so several
 * appenders share the work.
 */
final class RewrittenLoggingEvent implements ILoggingEvent {
  private final ILoggingEvent event;
  private final UnaryOperator<String> rewrite;
  private String formatted;
  private String message;
  private Object[] arguments;
  private Map<String, String> mdc;
  private List<KeyValuePair> keyValues;
  private IThrowableProxy throwable;

  RewrittenLoggingEvent(ILoggingEvent event, UnaryOperator<String> rewrite) {
    this.event = event;
    this.rewrite = rewrite;
  }

  @Override
  public String getFormattedMessage() {
    if (formatted == null) {
      formatted = rewrite.apply(event.getFormattedMessage());
    }
    return formatted;
  }

  @Override
  public String getMessage() {
    if (message == null) {
      message = rewrite.apply(event.getMessage());
    }
    return message;
  }

  @Override
  public Object[] getArgumentArray() {
    Object[] raw = event.getArgumentArray();
    if (raw == null) {
      return null;
    }
    if (arguments == null) {
      Object[] out = new Object[raw.length];
      for (int i = 0; i < raw.length; i++) {
        out[i] = raw[i] == null ? null : rewrite.apply(String.valueOf(raw[i]));
      }
      arguments = out;
    }
    return arguments.clone();
  }

  @Override
  public IThrowableProxy getThrowableProxy() {
    IThrowableProxy raw = event.getThrowableProxy();
    if (raw == null) {
      return null;
    }
    if (throwable == null) {
      throwable = new RewrittenThrowableProxy(raw, rewrite);
    }
    return throwable;
  }

  @Override
  public Map<String, String> getMDCPropertyMap() {
    if (mdc == null) {
      Map<String, String> raw = event.getMDCPropertyMap();
      if (raw == null || raw.isEmpty()) {
        mdc = raw == null ? Map.of() : raw;
      } else {
        var out = new HashMap<String, String>(raw.size() * 2);
        raw.forEach((k, v) -> out.put(k, v == null ? null : rewrite.apply(v)));
        mdc = out;
      }
    }
    return mdc;
  }

  @Override
  @Deprecated
  public Map<String, String> getMdc() {
    return getMDCPropertyMap();
  }

  @Override
  public List<KeyValuePair> getKeyValuePairs() {
    List<KeyValuePair> raw = event.getKeyValuePairs();
    if (raw == null) {
      return null;
    }
    if (keyValues == null) {
      keyValues =
          raw.stream()
              .map(kv -> new KeyValuePair(kv.key, kv.value == null ? null : rewrite.apply(String.valueOf(kv.value))))
              .toList();
    }
    return keyValues;
  }

  // ---- unchanged

  @Override
  public String getThreadName() {
    return event.getThreadName();
  }

  @Override
  public Level getLevel() {
    return event.getLevel();
  }

  @Override
  public String getLoggerName() {
    return event.getLoggerName();
  }

  @Override
  public LoggerContextVO getLoggerContextVO() {
    return event.getLoggerContextVO();
  }

  @Override
  public StackTraceElement[] getCallerData() {
    return event.getCallerData();
  }

  @Override
  public boolean hasCallerData() {
    return event.hasCallerData();
  }

  @Override
  public List<Marker> getMarkerList() {
    return event.getMarkerList();
  }

  @Override
  public long getTimeStamp() {
    return event.getTimeStamp();
  }

  @Override
  public int getNanoseconds() {
    return event.getNanoseconds();
  }

  @Override
  public Instant getInstant() {
    return event.getInstant();
  }

  @Override
  public long getSequenceNumber() {
    return event.getSequenceNumber();
  }

  @Override
  public void prepareForDeferredProcessing() {
    event.prepareForDeferredProcessing();
  }
}
