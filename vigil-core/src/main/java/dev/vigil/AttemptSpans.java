package dev.vigil;

import dev.vigil.job.JobSpan;
import dev.vigil.job.Span;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;

/**
 * The spans of one running attempt: handed out by {@link Execution#span}, kept when closed, and
 * written with the attempt's outcome. Created on the first span, so an attempt that times nothing
 * allocates nothing. Bounded: at most {@value JobSpan#MAX_PER_ATTEMPT} spans are kept (later ones
 * still reach {@code closed}, the phase histogram), each with at most {@value
 * JobSpan#MAX_ATTRIBUTES} attributes, redacted when the span closes ({@link SpanAttributes}). Thread-safe: a handler may time work on threads it starts.
 */
final class AttemptSpans {
  private final InstantSource clock;
  private final UnaryOperator<String> redactor;
  private final BiConsumer<String, Duration> closed;
  private final List<JobSpan> kept = new ArrayList<>();

  /**
   * @param closed told the name and duration of every span that closes, kept or not
   */
  AttemptSpans(InstantSource clock, UnaryOperator<String> redactor, BiConsumer<String, Duration> closed) {
    this.clock = clock;
    this.redactor = redactor;
    this.closed = closed;
  }

  /** Starts a span now. @throws IllegalArgumentException for an invalid name */
  Span open(String name) {
    if (!JobSpan.isValidName(name)) {
      throw new IllegalArgumentException(
          "span name must be 1-" + JobSpan.MAX_NAME + " letters, digits, '_', '.', ':' or '-' (got '"
              + shorten(name) + "')");
    }
    return new Open(name, clock.instant());
  }

  /** The spans closed so far, in the order they closed. */
  synchronized List<JobSpan> closedSpans() {
    return List.copyOf(kept);
  }

  private synchronized void keep(JobSpan span) {
    if (kept.size() < JobSpan.MAX_PER_ATTEMPT) {
      kept.add(span);
    }
  }

  private static String shorten(String s) {
    return s == null ? "null" : s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }

  private final class Open implements Span {
    private final String name;
    private final Instant start;
    private Map<String, String> attributes;
    private boolean done;

    Open(String name, Instant start) {
      this.name = name;
      this.start = start;
    }

    @Override
    public synchronized Span attribute(String key, String value) {
      if (!JobSpan.isValidName(key)) {
        throw new IllegalArgumentException(
            "span attribute key must be 1-" + JobSpan.MAX_NAME + " letters, digits, '_', '.', ':' or '-'");
      }
      if (done || value == null) {
        return this;
      }
      if (attributes == null) {
        attributes = new LinkedHashMap<>();
      }
      if (attributes.size() < JobSpan.MAX_ATTRIBUTES || attributes.containsKey(key)) {
        attributes.put(key, SpanAttributes.raw(value));
      }
      return this;
    }

    @Override
    public void close() {
      JobSpan span;
      synchronized (this) {
        if (done) {
          return;
        }
        done = true;
        Duration took = Duration.between(start, clock.instant());
        span =
            new JobSpan(
                name, start, took.isNegative() ? Duration.ZERO : took, SpanAttributes.redact(attributes, redactor));
      }
      keep(span);
      closed.accept(name, span.duration());
    }
  }
}
