package dev.vigil.store.internal;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Fresh lease tokens: 128 random bits from {@link SecureRandom}, as 32 lower-case hex digits. */
public final class LeaseTokens {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HexFormat HEX = HexFormat.of();

  private LeaseTokens() {}

  /** A new, unguessable token. */
  public static String next() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return HEX.formatHex(bytes);
  }
}
