package dev.vigil.bench;

import java.util.HexFormat;

/** Job ids in the UUIDv7 text layout Vigil uses, for rows the harness writes itself. */
public final class Uuid7 {
  private Uuid7() {}

  /**
   * An id for millisecond {@code millis}; {@code seq} fills the 12-bit counter, {@code random} the
   * rest.
   */
  public static String of(long millis, long seq, long random) {
    long high = (millis << 16) | 0x7000L | (seq & 0xFFF);
    long low = (random & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
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
