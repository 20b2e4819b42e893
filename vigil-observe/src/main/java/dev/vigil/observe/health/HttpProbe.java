package dev.vigil.observe.health;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * An HTTP GET of a dependency (an LLM provider, a search service). Its answer names the target by
 * scheme, host and port only: user info, path and query may carry credentials.
 */
final class HttpProbe implements HealthCheck {
  private final URI url;
  private final Duration timeout;
  private final HttpClient client;

  HttpProbe(URI url, Duration timeout) {
    this.url = url;
    this.timeout = timeout;
    this.client =
        HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
  }

  @Override
  public CheckResult check() throws InterruptedException {
    long start = System.nanoTime();
    try {
      HttpResponse<Void> response =
          client.send(
              HttpRequest.newBuilder(url).timeout(timeout).GET().build(), HttpResponse.BodyHandlers.discarding());
      double ms = Checks.round((System.nanoTime() - start) / 1e6, 3);
      int status = response.statusCode();
      CheckResult r =
          status >= 500
              ? CheckResult.unhealthy("answered " + status + " in " + ms + " ms")
              : CheckResult.healthy("answered " + status + " in " + ms + " ms");
      return r.with("target", safeUrl()).with("status_code", status).with("response_ms", ms);
    } catch (IOException e) {
      return CheckResult.unhealthy("no answer: " + e.getClass().getSimpleName())
          .with("target", safeUrl())
          .with("timeout_ms", timeout.toMillis());
    }
  }

  private String safeUrl() {
    return ProbeSpec.shown(url);
  }
}
