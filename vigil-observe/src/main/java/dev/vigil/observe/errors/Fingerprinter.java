package dev.vigil.observe.errors;

import dev.vigil.job.Fingerprinted;
import dev.vigil.job.JobError;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Groups errors the way Sentry's default grouping does: by what failed and where, not by the
 * values involved.
 *
 * <ol>
 *   <li>When the handler chose a fingerprint ({@link JobError#fingerprint()}), its parts; a part
 *       {@value Fingerprinted#DEFAULT} stands for the default below.
 *   <li>Else, when the error has a stack trace that reads as Java ({@code at class.method(…)}) or
 *       Python ({@code File "…", line N, in function}): the error's type, then for each exception
 *       of the chain (the one raised last first) its type and its in-app frames as {@code module in
 *       function}, without files or line numbers, at most {@value #MAX_FRAMES} per exception from
 *       the top; all its frames when none is in-app. Generated names (lambdas, anonymous classes,
 *       proxies) are normalised, so the same code groups alike across builds. A stack cut to its
 *       stored length ({@value JobError#MAX_STACK} characters) loses its last, partial line.
 *   <li>Else: the type and the message with numbers, ids, UUIDs, hex, e-mail addresses, URLs, IP
 *       addresses and dates replaced by placeholders. The engine's own errors without a stack
 *       ({@code Timeout}, {@code LeaseExpired}) are grouped by type and job type instead, since
 *       their messages name a worker and a time.
 * </ol>
 *
 * <p>In-app frames are the application's: by default every Java class but the JDK's ({@code
 * java.}, {@code javax.}, {@code jdk.}, {@code sun.}, {@code com.sun.}), common libraries'
 * ({@code kotlin.}, {@code kotlinx.}, {@code scala.}, {@code io.javalin.}, {@code org.eclipse.},
 * {@code com.fasterxml.}, {@code org.slf4j.}, {@code ch.qos.logback.}, {@code io.micrometer.},
 * {@code com.zaxxer.}, {@code org.postgresql.}, {@code org.sqlite.}, {@code org.flywaydb.}, {@code
 * picocli.}, {@code org.junit.}) and Vigil's own engine ({@code dev.vigil.}, but {@code
 * dev.vigil.server.demo.}, whose handlers are an application); every Python module outside
 * {@code site-packages}, {@code dist-packages} and the standard library. {@link
 * Builder#inAppExclude} and {@link Builder#inAppInclude} add prefixes.
 *
 * <p>Everything a fingerprint and a title hold comes from the error as stored: redacted by the
 * engine before it was written. Thread-safe and cheap to share.
 */
public final class Fingerprinter {
  /** The most frames of one exception that take part in its fingerprint. */
  public static final int MAX_FRAMES = 50;

  /** Prefixes of classes and modules that are not in-app by default. */
  public static final List<String> DEFAULT_EXCLUDE =
      List.of(
          "java.", "javax.", "jdk.", "sun.", "com.sun.", "kotlin.", "kotlinx.", "scala.", "io.javalin.",
          "org.eclipse.", "com.fasterxml.", "org.slf4j.", "ch.qos.logback.", "io.micrometer.", "com.zaxxer.",
          "org.postgresql.", "org.sqlite.", "org.flywaydb.", "picocli.", "org.junit.", "dev.vigil.");

  /** Prefixes that are in-app whatever the exclusions say, by default. */
  public static final List<String> DEFAULT_INCLUDE = List.of("dev.vigil.server.demo.");

  /** The engine's own error types, which carry no stack and whose messages name workers and times. */
  private static final Set<String> ENGINE_TYPES = Set.of("Timeout", "LeaseExpired");

  private static final Fingerprinter DEFAULTS = builder().build();

  private final InApp inApp;

  private Fingerprinter(InApp inApp) {
    this.inApp = inApp;
  }

  /** A fingerprinter with the default in-app rules. */
  public static Fingerprinter defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The fingerprint of an attempt's error, for a job of {@code jobType}. */
  public Fingerprint fingerprint(String jobType, JobError error) {
    Objects.requireNonNull(error, "error");
    String type = error.type().strip();
    List<ExceptionBlock> chain = chain(error.stack());
    List<String> defaults = defaultParts(type, jobType, error.message(), chain);
    List<String> parts = defaults;
    if (error.fingerprint() != null) {
      parts = new ArrayList<>();
      for (String part : error.fingerprintParts()) {
        if (part.strip().equals(Fingerprinted.DEFAULT)) {
          parts.addAll(defaults);
        } else if (!part.isBlank()) {
          parts.add(part.strip());
        }
      }
    }
    String text = String.join("\n", parts);
    return new Fingerprint(id(text), text, title(type, error.message()), error.type(), culprit(chain));
  }

  /** The id of the group of an attempt's error, for a job of {@code jobType}. */
  public String groupId(String jobType, JobError error) {
    return fingerprint(jobType, error).groupId();
  }

  private List<ExceptionBlock> chain(String stack) {
    if (stack == null || stack.isBlank()) {
      return List.of();
    }
    if (stack.length() >= JobError.MAX_STACK) {
      // cut to the stored length: the last line may be part of a frame, which must not count
      int lastLine = stack.lastIndexOf('\n');
      stack = lastLine < 0 ? stack : stack.substring(0, lastLine);
    }
    List<ExceptionBlock> java = JavaStacks.parse(stack, inApp);
    return java.isEmpty() ? PythonStacks.parse(stack, inApp) : java;
  }

  private static List<String> defaultParts(String type, String jobType, String message, List<ExceptionBlock> chain) {
    var parts = new ArrayList<String>();
    parts.add(type);
    if (!chain.isEmpty()) {
      for (int i = 0; i < chain.size(); i++) {
        ExceptionBlock block = chain.get(i);
        if (i > 0) {
          parts.add("caused by " + (block.type() == null ? "?" : block.type()));
        }
        List<Frame> frames = block.frames().stream().filter(Frame::inApp).toList();
        if (frames.isEmpty()) {
          frames = block.frames();
        }
        frames.stream().limit(MAX_FRAMES).forEach(f -> parts.add(f.toString()));
      }
      return parts;
    }
    if (ENGINE_TYPES.contains(type)) {
      parts.add("job type " + jobType);
      return parts;
    }
    String normalised = Messages.normalise(message);
    if (!normalised.isEmpty()) {
      parts.add(normalised);
    }
    return parts;
  }

  private static String culprit(List<ExceptionBlock> chain) {
    if (chain.isEmpty()) {
      return null;
    }
    for (Frame f : chain.get(0).frames()) {
      if (f.inApp()) {
        return f.toString();
      }
    }
    return chain.get(0).frames().isEmpty() ? null : chain.get(0).frames().get(0).toString();
  }

  private static String title(String type, String message) {
    String first = message == null ? "" : message.strip().lines().findFirst().orElse("").strip();
    String title = first.isEmpty() || first.equals("null") ? type : type + ": " + first;
    return title.length() <= Fingerprint.MAX_TITLE ? title : title.substring(0, Fingerprint.MAX_TITLE - 1) + "…";
  }

  private static String id(String text) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** Settings of a {@link Fingerprinter}: which frames are in-app. */
  public static final class Builder {
    private final List<String> include = new ArrayList<>(DEFAULT_INCLUDE);
    private final List<String> exclude = new ArrayList<>(DEFAULT_EXCLUDE);

    private Builder() {}

    /** Also treats classes and modules under these prefixes as not in-app ({@code com.acme.vendor.}). */
    public Builder inAppExclude(List<String> prefixes) {
      prefixes.forEach(p -> exclude.add(requirePrefix(p)));
      return this;
    }

    /** Treats classes and modules under these prefixes as in-app whatever the exclusions say. */
    public Builder inAppInclude(List<String> prefixes) {
      prefixes.forEach(p -> include.add(requirePrefix(p)));
      return this;
    }

    public Fingerprinter build() {
      return new Fingerprinter(new InApp(include, exclude));
    }

    private static String requirePrefix(String p) {
      if (p == null || p.isBlank() || p.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException("an in-app prefix must be a non-empty name without spaces: '" + p + "'");
      }
      return p;
    }
  }
}
