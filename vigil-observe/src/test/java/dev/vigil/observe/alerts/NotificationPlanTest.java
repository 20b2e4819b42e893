package dev.vigil.observe.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NotificationPlanTest {
  private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

  private static final NotificationPolicy POLICY =
      new NotificationPolicy(
          List.of(new Receiver("ops", URI.create("http://127.0.0.1:9/hook"), true), new Receiver("pager", null, false)),
          new Route(
              "ops", List.of("alertname", "lane"), Duration.ofSeconds(10), Duration.ofHours(4), Map.of(),
              List.of(new Route("pager", List.of("alertname"), Duration.ZERO, Duration.ofHours(1), Map.of("severity", "page"), List.of()))));

  private static Alert firing(String lane, String severity, Instant since) {
    Map<String, String> labels = Map.of("alertname", "BacklogHigh", "lane", lane, "severity", severity);
    return new Alert(AlertTransitions.fingerprint("BacklogHigh", labels), "BacklogHigh", labels, Map.of(),
        AlertState.FIRING, since, since, since, null, 1, null, null);
  }

  private static Alert resolved(Alert a, Instant at) {
    return a.with(AlertState.RESOLVED, a.firingSince(), a.lastActiveAt(), at, a.value());
  }

  @Test
  void a_new_firing_alert_waits_group_wait_then_is_sent_with_its_group() {
    Alert social = firing("social", "warning", T0);
    Alert sensory = firing("sensory", "warning", T0.plusSeconds(5));

    assertThat(NotificationPlan.due(POLICY, List.of(social, sensory), List.of(), T0.plusSeconds(9), Set.of())).isEmpty();
    var due = NotificationPlan.due(POLICY, List.of(social, sensory), List.of(), T0.plusSeconds(10), Set.of());

    assertThat(due).singleElement().satisfies(d -> {
      assertThat(d.receiver().name()).isEqualTo("ops");
      assertThat(d.groupLabels()).containsEntry("lane", "social");
      assertThat(d.alerts()).containsExactly(social);
    });
  }

  @Test
  void a_told_group_is_sent_again_after_repeat_interval_and_once_when_it_resolves() {
    Alert told = firing("social", "warning", T0).notified(AlertState.FIRING, T0.plusSeconds(10));

    assertThat(NotificationPlan.due(POLICY, List.of(told), List.of(), T0.plusSeconds(3600), Set.of())).isEmpty();
    assertThat(NotificationPlan.due(POLICY, List.of(told), List.of(), T0.plusSeconds(10 + 4 * 3600), Set.of())).hasSize(1);

    Alert over = resolved(told, T0.plusSeconds(100));
    assertThat(NotificationPlan.due(POLICY, List.of(over), List.of(), T0.plusSeconds(100), Set.of()))
        .singleElement()
        .satisfies(d -> assertThat(d.alerts()).containsExactly(over));
    Alert toldOver = over.notified(AlertState.RESOLVED, T0.plusSeconds(101));
    assertThat(NotificationPlan.due(POLICY, List.of(toldOver), List.of(), T0.plusSeconds(200), Set.of())).isEmpty();
    assertThat(NotificationPlan.settled(POLICY, toldOver, List.of(), T0.plusSeconds(200))).isTrue();
  }

  @Test
  void routes_by_labels_and_receivers_that_do_not_send_resolved_notices_forget_resolved_alerts() {
    Alert page = firing("cognition", "page", T0);

    var due = NotificationPlan.due(POLICY, List.of(page), List.of(), T0, Set.of());
    assertThat(due).singleElement().extracting(d -> d.receiver().name()).isEqualTo("pager");

    Alert over = resolved(page.notified(AlertState.FIRING, T0), T0.plusSeconds(60));
    assertThat(NotificationPlan.due(POLICY, List.of(over), List.of(), T0.plusSeconds(60), Set.of())).isEmpty();
    assertThat(NotificationPlan.settled(POLICY, over, List.of(), T0.plusSeconds(60))).isTrue();
  }

  @Test
  void silenced_alerts_and_groups_in_flight_are_not_sent() {
    Alert social = firing("social", "warning", T0);
    Silence silence = new Silence("s", "BacklogHigh", Map.of("lane", "social"), T0, T0.plusSeconds(3600), null);

    assertThat(NotificationPlan.due(POLICY, List.of(social), List.of(silence), T0.plusSeconds(60), Set.of())).isEmpty();
    assertThat(NotificationPlan.due(POLICY, List.of(social), List.of(silence), T0.plusSeconds(3600), Set.of()))
        .as("the silence ended").hasSize(1);
    String key = NotificationPlan.due(POLICY, List.of(social), List.of(), T0.plusSeconds(60), Set.of()).getFirst().groupKey();
    assertThat(NotificationPlan.due(POLICY, List.of(social), List.of(), T0.plusSeconds(60), Set.of(key))).isEmpty();
  }
}
