package dev.vigil.observe.alerts;

import dev.vigil.observe.alerts.spi.AlertStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Evaluates alert rules, keeps their alerts and history in an {@link AlertStore}, and sends the
 * notifications that are due.
 *
 * <p>Design: {@link #evaluate()} is one evaluation of every rule, meant to run on one node at a
 * time (the leader of a shared store): it reads the kept alerts, moves each rule's alerts on
 * ({@link AlertTransitions}), saves the alerts and the new history events in one transaction,
 * logs each transition as one line, tells subscribers, and hands the due notifications ({@link
 * NotificationPlan}) to the {@link WebhookSender}, which delivers them off this thread. A delivery
 * that is accepted is recorded on its alerts, so the next evaluation (on this node or on the next
 * leader) neither repeats nor forgets it: at worst a leader that dies between a delivery and its
 * record sends that notification once more. Rules and the notification policy can be replaced at
 * any time ({@link #configure}); a rule whose condition throws keeps its alerts as they were and
 * reports {@code error} as its health.
 */
public final class AlertEngine implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AlertEngine.class);

  /** How long a resolved alert whose resolution could not be told is kept before it is dropped. */
  static final Duration RESOLVED_RETENTION = Duration.ofHours(24);

  private final AlertStore store;
  private final InstantSource clock;
  private final WebhookSender sender;
  private final Timer evaluations;
  private final Supplier<String> externalUrl;
  private final ReentrantLock evaluating = new ReentrantLock();
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  private final Map<String, RuleHealth> health = new ConcurrentHashMap<>();
  private final List<Consumer<AlertEvent>> subscribers = new CopyOnWriteArrayList<>();
  private volatile List<AlertRule> rules = List.of();
  private volatile NotificationPolicy policy = NotificationPolicy.NONE;
  private volatile String configError;

  /** How a rule fared at its last evaluation on this node. */
  public record RuleHealth(boolean ok, String lastError, Instant lastEvaluation) {}

  /**
   * @param externalUrl this server's address, for {@code externalURL} and {@code generatorURL} in
   *     notifications
   * @param deliveryTries how many times a notification is tried before it counts as failed
   * @param firstBackoff the wait after the first failed try; doubled after each
   */
  public AlertEngine(
      AlertStore store,
      InstantSource clock,
      MeterRegistry registry,
      Supplier<String> externalUrl,
      int deliveryTries,
      Duration firstBackoff) {
    this.store = store;
    this.clock = clock;
    this.externalUrl = externalUrl;
    this.sender = new WebhookSender(registry, deliveryTries, firstBackoff);
    this.evaluations = Timer.builder("vigil.alert.evaluation")
        .description("One evaluation of every alert rule, from reading the alerts kept to saving the new ones")
        .serviceLevelObjectives(
            Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(15))
        .register(registry);
  }

  /** Replaces the rules and the notification policy; the next evaluation uses them. */
  public void configure(List<AlertRule> rules, NotificationPolicy policy) {
    this.rules = List.copyOf(rules);
    this.policy = policy;
    this.configError = null;
  }

  /**
   * Records that a new configuration could not be read: the rules and policy running stay, and
   * {@link #configError()} says why until a configuration is accepted.
   */
  public void configFailed(String error) {
    this.configError = java.util.Objects.requireNonNull(error, "error");
  }

  /** Why the last configuration was refused, or null when it was accepted. */
  public String configError() {
    return configError;
  }

  /** The rules in use. */
  public List<AlertRule> rules() {
    return rules;
  }

  /** The notification policy in use. */
  public NotificationPolicy policy() {
    return policy;
  }

  /** How each rule fared at its last evaluation on this node; absent when it was not evaluated here. */
  public Map<String, RuleHealth> health() {
    return Map.copyOf(health);
  }

  /** Called with every history event (firing, resolved) this node's evaluations cause. */
  public void subscribe(Consumer<AlertEvent> subscriber) {
    subscribers.add(subscriber);
  }

  /** The alerts that are pending or firing now, read from the store (any node may ask). */
  public List<Alert> alerts() {
    return store.alerts().stream().filter(a -> a.state() != AlertState.RESOLVED).toList();
  }

  /** The store of alerts, history and silences. */
  public AlertStore store() {
    return store;
  }

  /** Evaluates every rule once and sends what is due. */
  public void evaluate() {
    evaluations.record(this::evaluateNow);
  }

  private void evaluateNow() {
    Instant now = clock.instant();
    List<AlertEvent> events = new ArrayList<>();
    List<Alert> alerts;
    evaluating.lock();
    try {
      List<Alert> kept = store.alerts();
      Map<String, List<Alert>> activeByRule = new LinkedHashMap<>();
      List<Alert> next = new ArrayList<>();
      List<Silence> silences = store.silences(now);
      for (Alert a : kept) {
        if (a.state() == AlertState.RESOLVED) {
          if (!NotificationPlan.settled(policy, a, silences, now)
              && now.isBefore(a.resolvedAt().plus(RESOLVED_RETENTION))) {
            next.add(a);
          }
        } else {
          activeByRule.computeIfAbsent(a.rule(), r -> new ArrayList<>()).add(a);
        }
      }
      for (AlertRule rule : rules) {
        List<Alert> mine = activeByRule.remove(rule.name());
        mine = mine == null ? List.of() : mine;
        try {
          AlertTransitions.Step step = AlertTransitions.step(rule, rule.condition().evaluate(now), mine, now);
          next.addAll(step.alerts());
          events.addAll(step.events());
          health.put(rule.name(), new RuleHealth(true, null, now));
        } catch (RuntimeException e) {
          next.addAll(mine);
          health.put(rule.name(), new RuleHealth(false, e.getClass().getSimpleName() + ": " + e.getMessage(), now));
          log.warn("alert rule {} could not be evaluated: {}", rule.name(), e.toString());
        }
      }
      for (List<Alert> orphans : activeByRule.values()) {
        AlertTransitions.Step step = AlertTransitions.removed(orphans, now);
        next.addAll(step.alerts());
        events.addAll(step.events());
      }
      health.keySet().retainAll(rules.stream().map(AlertRule::name).toList());
      store.save(next, events);
      alerts = next;
      notify(alerts, silences, now);
    } finally {
      evaluating.unlock();
    }
    for (AlertEvent e : events) {
      told(e);
    }
  }

  /** Starts the deliveries that are due. Called under the evaluation lock. */
  private void notify(List<Alert> alerts, List<Silence> silences, Instant now) {
    for (NotificationPlan.Delivery d : NotificationPlan.due(policy, alerts, silences, now, inFlight)) {
      inFlight.add(d.groupKey());
      byte[] body = AlertmanagerBody.of(d, externalUrl.get());
      sender
          .send(d.receiver(), body)
          .whenComplete(
              (accepted, failure) -> {
                try {
                  if (Boolean.TRUE.equals(accepted)) {
                    delivered(d);
                  }
                } finally {
                  inFlight.remove(d.groupKey());
                }
              });
    }
  }

  private void delivered(NotificationPlan.Delivery d) {
    Instant at = clock.instant();
    evaluating.lock();
    try {
      store.notified(d.alerts().stream().map(a -> a.notified(a.state(), at)).toList());
    } finally {
      evaluating.unlock();
    }
  }

  private void told(AlertEvent e) {
    MDC.put("alert_rule", e.rule());
    MDC.put("alert_state", e.state().wireName());
    try {
      if (e.state() == AlertState.FIRING) {
        log.warn("alert {} firing: {} (value {})", e.rule(), e.labels(), e.value());
      } else {
        log.info("alert {} resolved after {} ms: {}", e.rule(), e.durationMs(), e.labels());
      }
    } finally {
      MDC.remove("alert_rule");
      MDC.remove("alert_state");
    }
    for (Consumer<AlertEvent> s : subscribers) {
      try {
        s.accept(e);
      } catch (RuntimeException ex) {
        log.warn("alert subscriber failed: {}", ex.toString());
      }
    }
  }

  /** Stops the deliveries in flight. */
  @Override
  public void close() {
    sender.close();
  }
}
