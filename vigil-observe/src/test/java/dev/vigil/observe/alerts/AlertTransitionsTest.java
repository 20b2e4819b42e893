package dev.vigil.observe.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertTransitionsTest {
  private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
  private static final Map<String, String> COGNITION = Map.of("lane", "cognition");

  private static AlertRule rule(Duration forDuration, Duration keepFiringFor) {
    return new AlertRule(
        "ChatQueueWaitHigh",
        new AlertCondition() {
          public String kind() { return "threshold"; }
          public String expr() { return "test"; }
          public List<Observation> evaluate(Instant now) { return List.of(); }
        },
        forDuration, keepFiringFor, "page", Map.of("team", "chat"),
        Map.of("summary", "{{ $labels.lane }} waits {{ $value }} s"));
  }

  private static List<Observation> holds(double value) {
    return List.of(new Observation(COGNITION, value, true));
  }

  private static final List<Observation> CLEAR = List.of(new Observation(COGNITION, 1, false));

  @Test
  void an_alert_is_pending_until_its_condition_held_for_the_rules_for_then_fires_once() {
    AlertRule rule = rule(Duration.ofMinutes(1), Duration.ZERO);

    var first = AlertTransitions.step(rule, holds(7), List.of(), T0);
    assertThat(first.alerts()).singleElement().extracting(Alert::state).isEqualTo(AlertState.PENDING);
    assertThat(first.events()).isEmpty();

    var still = AlertTransitions.step(rule, holds(8), first.alerts(), T0.plusSeconds(30));
    assertThat(still.alerts()).singleElement().extracting(Alert::state).isEqualTo(AlertState.PENDING);

    var fires = AlertTransitions.step(rule, holds(9), still.alerts(), T0.plusSeconds(60));
    Alert firing = fires.alerts().getFirst();
    assertThat(firing.state()).isEqualTo(AlertState.FIRING);
    assertThat(firing.activeSince()).isEqualTo(T0);
    assertThat(firing.firingSince()).isEqualTo(T0.plusSeconds(60));
    assertThat(firing.labels())
        .containsEntry("alertname", "ChatQueueWaitHigh").containsEntry("severity", "page")
        .containsEntry("team", "chat").containsEntry("lane", "cognition");
    assertThat(firing.annotations()).containsEntry("summary", "cognition waits 7 s");
    assertThat(fires.events()).singleElement().satisfies(e -> {
      assertThat(e.state()).isEqualTo(AlertState.FIRING);
      assertThat(e.at()).isEqualTo(T0.plusSeconds(60));
    });

    var stays = AlertTransitions.step(rule, holds(10), fires.alerts(), T0.plusSeconds(90));
    assertThat(stays.events()).as("no second firing event").isEmpty();
    assertThat(stays.alerts().getFirst().value()).isEqualTo(10);
  }

  @Test
  void a_pending_alert_whose_condition_stops_holding_leaves_no_trace() {
    AlertRule rule = rule(Duration.ofMinutes(1), Duration.ZERO);
    var pending = AlertTransitions.step(rule, holds(7), List.of(), T0);

    var gone = AlertTransitions.step(rule, CLEAR, pending.alerts(), T0.plusSeconds(30));

    assertThat(gone.alerts()).isEmpty();
    assertThat(gone.events()).isEmpty();
  }

  @Test
  void a_firing_alert_resolves_when_its_condition_stops_holding_after_keep_firing_for() {
    AlertRule rule = rule(Duration.ZERO, Duration.ofMinutes(2));
    var firing = AlertTransitions.step(rule, holds(7), List.of(), T0);
    assertThat(firing.alerts().getFirst().state()).as("for 0: fires at once").isEqualTo(AlertState.FIRING);

    var kept = AlertTransitions.step(rule, CLEAR, firing.alerts(), T0.plusSeconds(60));
    assertThat(kept.alerts()).singleElement().extracting(Alert::state).isEqualTo(AlertState.FIRING);
    assertThat(kept.events()).isEmpty();

    var resolved = AlertTransitions.step(rule, CLEAR, kept.alerts(), T0.plusSeconds(120));
    assertThat(resolved.alerts()).singleElement().satisfies(a -> {
      assertThat(a.state()).isEqualTo(AlertState.RESOLVED);
      assertThat(a.resolvedAt()).isEqualTo(T0.plusSeconds(120));
    });
    assertThat(resolved.events()).singleElement().satisfies(e -> {
      assertThat(e.state()).isEqualTo(AlertState.RESOLVED);
      assertThat(e.durationMs()).isEqualTo(120_000);
    });
  }

  @Test
  void a_rule_that_is_gone_resolves_its_firing_alerts() {
    AlertRule rule = rule(Duration.ZERO, Duration.ZERO);
    var firing = AlertTransitions.step(rule, holds(7), List.of(), T0);

    var removed = AlertTransitions.removed(firing.alerts(), T0.plusSeconds(10));

    assertThat(removed.alerts()).singleElement().extracting(Alert::state).isEqualTo(AlertState.RESOLVED);
    assertThat(removed.events()).singleElement().extracting(AlertEvent::durationMs).isEqualTo(10_000L);
  }

  @Test
  void fingerprints_are_stable_and_tell_label_sets_apart() {
    assertThat(AlertTransitions.fingerprint("R", Map.of("a", "1", "b", "2")))
        .isEqualTo(AlertTransitions.fingerprint("R", Map.of("b", "2", "a", "1")))
        .isNotEqualTo(AlertTransitions.fingerprint("R", Map.of("a", "1", "b", "3")))
        .isNotEqualTo(AlertTransitions.fingerprint("S", Map.of("a", "1", "b", "2")));
  }
}
