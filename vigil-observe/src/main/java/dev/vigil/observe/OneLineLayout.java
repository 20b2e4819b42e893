package dev.vigil.observe;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * Logback's {@link PatternLayout} for readable text lines that cannot be forged: before the
 * pattern runs, the event's message, arguments, MDC values, key-value pairs and exception messages
 * pass through {@link ControlCharacters#escape}, so a newline in a remote worker's error message
 * prints as {@code \n} on the same line and an ESC as <code>&#92;u001b</code>. Only the pattern's
 * own {@code %n} ends a line, and a stack trace ({@code %ex}) keeps its lines. JSON encoders need
 * none of this: JSON escapes control characters itself.
 *
 * <pre>{@code
 * <encoder class="ch.qos.logback.core.encoder.LayoutWrappingEncoder">
 *   <layout class="dev.vigil.observe.OneLineLayout">
 *     <pattern>%d{HH:mm:ss.SSS} %-5level %logger{24} - %msg%n%ex</pattern>
 *   </layout>
 * </encoder>
 * }</pre>
 */
public final class OneLineLayout extends PatternLayout {

  @Override
  public String doLayout(ILoggingEvent event) {
    return super.doLayout(new RewrittenLoggingEvent(event, ControlCharacters::escape));
  }
}
