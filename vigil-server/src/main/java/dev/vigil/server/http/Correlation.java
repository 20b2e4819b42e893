package dev.vigil.server.http;

import dev.vigil.internal.CorrelationIds;
import io.javalin.http.Context;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * Gives every request a correlation id and answers it in {@code X-Correlation-Id}: the caller's
 * own {@code X-Correlation-Id} when it is valid, else the trace id of a valid W3C {@code
 * traceparent}, else a new random id (32 hex digits, shaped like a trace id). The id is in the MDC
 * ({@code correlation_id}) while the request is handled, and becomes the correlation id of the
 * jobs it enqueues that do not name their own, so one request can be followed through every job
 * it caused ({@code GET /api/v1/traces/{id}}).
 *
 * <p>A caller's id must follow {@link CorrelationIds} (1 to 128 letters, digits, {@code . _ : -};
 * no spaces, no {@code @}, no control characters), the same rule an enqueue body's {@code
 * correlation_id} is held to; a header that breaks it is replaced, never logged or echoed.
 */
final class Correlation {
  static final String HEADER = "X-Correlation-Id";
  static final String TRACEPARENT = "traceparent";
  static final String MDC_KEY = "correlation_id";

  private static final String ATTRIBUTE = "vigil.correlation_id";
  private static final Pattern TRACE =
      Pattern.compile("([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?");
  private static final String ZERO_TRACE = "0".repeat(32);
  private static final String ZERO_PARENT = "0".repeat(16);
  private static final SecureRandom RANDOM = new SecureRandom();

  private Correlation() {}

  /** The before-handler: picks the id, answers it, puts it in the MDC. */
  static void begin(Context ctx) {
    String id = choose(ctx.header(HEADER), ctx.header(TRACEPARENT));
    ctx.attribute(ATTRIBUTE, id);
    ctx.header(HEADER, id);
    MDC.put(MDC_KEY, id);
  }

  /** The after-handler: the request's thread forgets the id. */
  static void end(Context ctx) {
    MDC.remove(MDC_KEY);
  }

  /** The request's correlation id. */
  static String of(Context ctx) {
    String id = ctx.attribute(ATTRIBUTE);
    return id != null ? id : generate();
  }

  /** The caller's id if valid, else the traceparent's trace id if valid, else a new one. */
  static String choose(String header, String traceparent) {
    if (header != null) {
      String h = header.strip();
      if (CorrelationIds.isValid(h)) {
        return h;
      }
    }
    String trace = traceId(traceparent);
    return trace != null ? trace : generate();
  }

  /** The trace id of a valid W3C {@code traceparent}, or null. */
  static String traceId(String traceparent) {
    if (traceparent == null || traceparent.length() > 512) {
      return null;
    }
    var m = TRACE.matcher(traceparent.strip());
    if (!m.matches()) {
      return null;
    }
    String version = m.group(1);
    boolean knownVersion = version.equals("00");
    if (version.equals("ff") || (knownVersion && m.group(5) != null)) {
      return null;
    }
    if (m.group(2).equals(ZERO_TRACE) || m.group(3).equals(ZERO_PARENT)) {
      return null;
    }
    return m.group(2);
  }

  static String generate() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
