package dev.vigil.store;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Job ids for tests: strings shaped like a UUIDv7 ({@code 8-4-4-4-12} lower-case hex, version 7,
 * RFC 4122 variant) whose order as text is the order they were made in, so a store's "newest first,
 * by id" can be checked. The time field is fixed and a counter fills the low bits; safe to use from
 * many threads.
 */
public final class TestIds {
  private static final long TIME_FIELD = 0x0194_1f29_7c00L; // 2025-01-01T00:00:00Z in millis

  private final AtomicLong counter = new AtomicLong();

  /** The next id, greater (as text) than every id this instance made before. */
  public String next() {
    long n = counter.incrementAndGet();
    return String.format(
        "%08x-%04x-7000-8000-%012x", TIME_FIELD >>> 16, TIME_FIELD & 0xffff, n & 0xffff_ffff_ffffL);
  }
}
