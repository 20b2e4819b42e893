package dev.vigil.observe.alerts;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers notifications to webhooks off the evaluation's thread: each delivery runs on its own
 * virtual thread and is tried again with doubling back-off until it is accepted (any 2xx) or the
 * tries run out. Outcomes are counted in {@code vigil_alert_notifications_total{receiver,
 * outcome}}. A receiver without a webhook only logs, and always succeeds.
 */
final class WebhookSender implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ExecutorService deliveries = Executors.newVirtualThreadPerTaskExecutor();
  private final MeterRegistry registry;
  private final int tries;
  private final Duration firstBackoff;

  WebhookSender(MeterRegistry registry, int tries, Duration firstBackoff) {
    this.registry = registry;
    this.tries = tries;
    this.firstBackoff = firstBackoff;
  }

  /** Delivers {@code body} to the receiver; the future tells whether it was accepted. */
  CompletableFuture<Boolean> send(Receiver receiver, byte[] body) {
    if (receiver.webhook() == null) {
      count(receiver, "logged");
      return CompletableFuture.completedFuture(true);
    }
    return CompletableFuture.supplyAsync(() -> deliver(receiver, body), deliveries);
  }

  private boolean deliver(Receiver receiver, byte[] body) {
    Duration backoff = firstBackoff;
    for (int attempt = 1; attempt <= tries; attempt++) {
      try {
        HttpResponse<Void> answer =
            http.send(
                HttpRequest.newBuilder(receiver.webhook())
                    .timeout(REQUEST_TIMEOUT)
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "Vigil-Alerts")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (answer.statusCode() / 100 == 2) {
          count(receiver, "sent");
          return true;
        }
        log.warn("alert receiver {} answered {} (try {} of {})", receiver.name(), answer.statusCode(), attempt, tries);
      } catch (IOException e) {
        log.warn("alert receiver {} unreachable: {} (try {} of {})", receiver.name(), e.getClass().getSimpleName(), attempt, tries);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      if (attempt < tries && !pause(backoff)) {
        break;
      }
      backoff = backoff.multipliedBy(2);
    }
    count(receiver, "failed");
    return false;
  }

  /** Waits before the next try; false when interrupted (the engine stops). */
  private static boolean pause(Duration backoff) {
    try {
      Thread.sleep(backoff);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void count(Receiver receiver, String outcome) {
    Counter.builder("vigil.alert.notifications")
        .description("Alert notifications by receiver and outcome (sent, failed after every try, logged)")
        .tag("receiver", receiver.name())
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }

  @Override
  public void close() {
    deliveries.shutdownNow();
    http.close();
  }
}
