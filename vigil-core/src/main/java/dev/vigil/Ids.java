package dev.vigil;

import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.HexFormat;

/**
 * Time-ordered job ids in the UUIDv7 layout (RFC 9562): 48 bits of Unix milliseconds, then a
 * 12-bit counter that keeps ids from one process strictly increasing within a millisecond, then
 * 62 random bits. Their lower-case text sorts in creation order, which stores use for paging.
 */
final class Ids {
  private final InstantSource clock;
  private final SecureRandom random = new SecureRandom();
  private long lastMillis = -1;
  private int counter;

  Ids(InstantSource clock) {
    this.clock = clock;
  }

  synchronized String next() {
    long millis = clock.millis();
    if (millis <= lastMillis) {
      millis = lastMillis;
      if (++counter > 0xFFF) {
        millis = ++lastMillis;
        counter = 0;
      }
    } else {
      counter = random.nextInt(0x400);
    }
    lastMillis = millis;
    long high = (millis << 16) | 0x7000L | counter;
    long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return format(high, low);
  }

  private static String format(long high, long low) {
    String hex = HexFormat.of().toHexDigits(high) + HexFormat.of().toHexDigits(low);
    return hex.substring(0, 8)
        + '-'
        + hex.substring(8, 12)
        + '-'
        + hex.substring(12, 16)
        + '-'
        + hex.substring(16, 20)
        + '-'
        + hex.substring(20);
  }
}
