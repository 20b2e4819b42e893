package dev.vigil.observe.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.observe.alerts.spi.AlertStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The definition of a correct {@link AlertStore}: every store passes it unchanged. A store's test
 * class says how to open a fresh one (and close it).
 */
public abstract class AlertStoreContract {
  private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

  private AlertStore store;

  /** A store on a fresh database. */
  protected abstract AlertStore openStore();

  /** Closes what {@link #openStore} opened. */
  protected abstract void closeStore();

  @BeforeEach
  final void open() {
    store = openStore();
  }

  @AfterEach
  final void close() {
    closeStore();
  }

  private static Alert alert(String fingerprint, AlertState state, Instant since) {
    return new Alert(
        fingerprint, "ChatQueueWaitHigh", Map.of("alertname", "ChatQueueWaitHigh", "lane", "cognition"),
        Map.of("summary", "Chat replies wait over 5 s"), state, since,
        state == AlertState.PENDING ? null : since.plusSeconds(60), since.plusSeconds(90),
        state == AlertState.RESOLVED ? since.plusSeconds(120) : null, 7.5, null, null);
  }

  @Test
  void saved_alerts_come_back_as_they_were_and_a_save_replaces_them_all() {
    Alert pending = alert("aa01", AlertState.PENDING, T0);
    Alert firing = alert("bb02", AlertState.FIRING, T0.plusSeconds(5));
    store.save(List.of(pending, firing), List.of());

    assertThat(store.alerts()).containsExactlyInAnyOrder(pending, firing);

    Alert resolved = alert("bb02", AlertState.RESOLVED, T0.plusSeconds(5));
    store.save(List.of(resolved), List.of());
    assertThat(store.alerts()).containsExactly(resolved);
  }

  @Test
  void one_fingerprint_may_be_kept_twice_resolved_and_active_again() {
    Alert resolved = alert("cc03", AlertState.RESOLVED, T0);
    Alert again = alert("cc03", AlertState.PENDING, T0.plusSeconds(600));

    store.save(List.of(resolved, again), List.of());

    assertThat(store.alerts()).containsExactlyInAnyOrder(resolved, again);
  }

  @Test
  void a_delivered_notification_is_recorded_on_the_alert_it_told() {
    Alert firing = alert("dd04", AlertState.FIRING, T0);
    store.save(List.of(firing), List.of());

    store.notified(List.of(firing.notified(AlertState.FIRING, T0.plusSeconds(70)), alert("gone", AlertState.FIRING, T0).notified(AlertState.FIRING, T0)));

    assertThat(store.alerts())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.notifiedState()).isEqualTo(AlertState.FIRING);
              assertThat(a.notifiedAt()).isEqualTo(T0.plusSeconds(70));
            });
  }

  @Test
  void history_comes_newest_first_from_a_time_in_pages() {
    for (int i = 0; i < 5; i++) {
      store.save(
          List.of(),
          List.of(new AlertEvent(0, "R" + i, Map.of("lane", "social"), i % 2 == 0 ? AlertState.FIRING : AlertState.RESOLVED,
              T0.plusSeconds(i * 60L), i, i * 1000L)));
    }

    List<AlertEvent> first = store.history(T0.plusSeconds(60), 2, Optional.empty());
    assertThat(first).extracting(AlertEvent::rule).containsExactly("R4", "R3");
    assertThat(first.getFirst().state()).isEqualTo(AlertState.FIRING);
    assertThat(first.get(1).durationMs()).isEqualTo(3000);
    assertThat(first.getFirst().labels()).containsEntry("lane", "social");
    List<AlertEvent> next = store.history(T0.plusSeconds(60), 2, Optional.of(first.get(1).id()));
    assertThat(next).extracting(AlertEvent::rule).containsExactly("R2", "R1");
    assertThat(store.history(T0.plusSeconds(60), 2, Optional.of(next.get(1).id()))).isEmpty();
  }

  @Test
  void silences_last_until_they_end_or_are_expired() {
    Silence chat = new Silence("s1", "ChatQueueWaitHigh", Map.of("lane", "cognition"), T0, T0.plusSeconds(3600), "deploying");
    Silence all = new Silence("s2", null, Map.of(), T0, T0.plusSeconds(60), null);
    store.addSilence(chat);
    store.addSilence(all);

    assertThat(store.silences(T0.plusSeconds(30))).containsExactly(all, chat);
    assertThat(store.silences(T0.plusSeconds(61))).containsExactly(chat);

    assertThat(store.expireSilence("s1", T0.plusSeconds(100))).isTrue();
    assertThat(store.expireSilence("s1", T0.plusSeconds(101))).as("already ended").isFalse();
    assertThat(store.expireSilence("nope", T0)).isFalse();
    assertThat(store.silences(T0.plusSeconds(100))).isEmpty();
  }
}
