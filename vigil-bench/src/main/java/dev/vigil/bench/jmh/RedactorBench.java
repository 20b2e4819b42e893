package dev.vigil.bench.jmh;

import dev.vigil.observe.Redactor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What redaction costs per log line: {@link Redactor#redact} of one line, as every log line, stored
 * error and progress message pays it. Four lines: {@code plain}, an attempt's end line with nothing
 * to mask (the usual case); {@code secret}, an error message that holds a bearer token and an
 * e-mail address; {@code long}, a stack trace of about 3 KB with one key in its first line; {@code
 * json}, an error that quotes a request body. {@code redact} uses the built-in rules ({@link
 * Redactor#defaults()}); {@code configured} adds three configured secrets, as {@code vigil server}
 * does with its API token and database and metrics credentials.
 *
 * <pre>
 * ./vigil bench jmh RedactorBench
 * ./vigil bench jmh 'RedactorBench.redact$'   # only the built-in rules (runs on older versions too)
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RedactorBench {
  static final String PLAIN =
      "attempt 2 of generate_reply succeeded in 212 ms on worker-3 (lane cognition, job"
          + " 0190a3c4-5e6f-7a8b-9c0d-1e2f3a4b5c6d, next retry at 2026-11-24T09:18:40.123Z)";

  static final String SECRET =
      "attempt 1 of send_digest failed in 183 ms: java.lang.IllegalStateException: POST"
          + " /v1/messages answered 401 for ava@example.com, Authorization: Bearer"
          + " sk-proj-4fT9aQ1zXb7LmN2pQ8rS rejected";

  static final String LONG = longLine();

  static final String JSON =
      "POST /v1/chat refused with 400: {\"model\":\"sim-chat\",\"max_tokens\":512,\"stream\":false,"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"summarise my week\"}],\"user\":\"u-42\"}";

  @Param({"plain", "secret", "long", "json"})
  public String line;

  private Redactor redactor;
  private String text;

  @Setup
  public void setUp() {
    redactor = Redactor.defaults();
    text =
        switch (line) {
          case "plain" -> PLAIN;
          case "secret" -> SECRET;
          case "long" -> LONG;
          case "json" -> JSON;
          default -> throw new IllegalArgumentException(line);
        };
  }

  @Benchmark
  public String redact() {
    return redactor.redact(text);
  }

  @Benchmark
  public String configured(Configured configured) {
    return configured.redactor.redact(text);
  }

  /** The built-in rules and three configured secrets (in its own state: older versions lack them). */
  @State(Scope.Benchmark)
  public static class Configured {
    Redactor redactor;

    @Setup
    public void setUp() {
      redactor =
          Redactor.builder()
              .secret("vgl-0f3a9c2e77d14b6f8e21")
              .secret("pg-Secret-4711")
              .secret("influx-token-abcdef0123")
              .build();
    }
  }

  private static String longLine() {
    var b =
        new StringBuilder(
            "java.lang.IllegalStateException: provider refused key sk-ant-api03-AbCdEf0123456789xyz"
                + " after 3 attempts (lane cognition, type generate_reply)\n");
    for (int i = 0; i < 24; i++) {
      b.append("\tat dev.vigil.demo.Provider$Client.call").append(i).append("(Provider.java:").append(100 + i)
          .append(")\n\tat java.base/java.util.concurrent.FutureTask.run(FutureTask.java:317)\n");
    }
    b.append("Caused by: java.net.SocketTimeoutException: Read timed out after 30000 ms\n");
    return b.toString();
  }
}
