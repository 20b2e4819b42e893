package dev.vigil.observe.alerts;

import java.net.URI;
import java.util.Objects;

/**
 * Where notifications go: a webhook that receives Alertmanager's webhook body ({@code version}
 * "4"), so anything that accepts Alertmanager's webhooks works. Without a webhook the receiver
 * only logs. {@code sendResolved}: also tell when the alerts resolve.
 */
public record Receiver(String name, URI webhook, boolean sendResolved) {
  public Receiver {
    Objects.requireNonNull(name, "name");
  }
}
