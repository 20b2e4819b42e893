package dev.vigil.observe.alerts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One evaluation of one rule, as Prometheus does it: a series whose condition starts to hold
 * becomes a {@code pending} alert (or {@code firing} at once when the rule's {@code for} is zero),
 * a pending alert fires once the condition has held for {@code for}, and a firing alert resolves
 * once the condition no longer holds and {@code keep_firing_for} has passed since it last held. A
 * pending alert whose condition stops holding is dropped without a trace. Pure: the caller keeps
 * the alerts and the history.
 */
final class AlertTransitions {
  private static final Pattern TEMPLATE = Pattern.compile("\\{\\{\\s*\\$(labels\\.([A-Za-z_][A-Za-z0-9_]*)|value)\\s*}}");

  private AlertTransitions() {}

  /** The rule's alerts after the evaluation, and the history events it caused. */
  record Step(List<Alert> alerts, List<AlertEvent> events) {}

  /**
   * @param kept the rule's alerts before this evaluation that are pending or firing
   */
  static Step step(AlertRule rule, List<Observation> observations, List<Alert> kept, Instant now) {
    Map<String, Alert> before = new LinkedHashMap<>();
    kept.forEach(a -> before.put(a.fingerprint(), a));
    List<Alert> after = new ArrayList<>();
    List<AlertEvent> events = new ArrayList<>();
    for (Observation o : observations) {
      if (!o.holds()) {
        continue;
      }
      Map<String, String> labels = labels(rule, o.labels());
      String fingerprint = fingerprint(rule.name(), labels);
      Alert was = before.remove(fingerprint);
      Alert alert =
          was != null
              ? was.with(was.state(), was.firingSince(), now, null, o.value())
              : new Alert(fingerprint, rule.name(), labels, annotations(rule, labels, o.value()),
                  AlertState.PENDING, now, null, now, null, o.value(), null, null);
      if (alert.state() == AlertState.PENDING && !now.isBefore(alert.activeSince().plus(rule.forDuration()))) {
        alert = alert.with(AlertState.FIRING, now, now, null, o.value());
        events.add(new AlertEvent(0, rule.name(), labels, AlertState.FIRING, now, o.value(), 0));
      }
      after.add(alert);
    }
    for (Alert gone : before.values()) {
      if (gone.state() != AlertState.FIRING) {
        continue;
      }
      if (now.isBefore(gone.lastActiveAt().plus(rule.keepFiringFor()))) {
        after.add(gone);
      } else {
        after.add(gone.with(AlertState.RESOLVED, gone.firingSince(), gone.lastActiveAt(), now, gone.value()));
        events.add(
            new AlertEvent(0, rule.name(), gone.labels(), AlertState.RESOLVED, now, gone.value(), gone.firedFor(now).toMillis()));
      }
    }
    return new Step(after, events);
  }

  /** Resolves every firing alert of a rule that no longer exists. */
  static Step removed(List<Alert> kept, Instant now) {
    List<Alert> after = new ArrayList<>();
    List<AlertEvent> events = new ArrayList<>();
    for (Alert a : kept) {
      if (a.state() == AlertState.FIRING) {
        after.add(a.with(AlertState.RESOLVED, a.firingSince(), a.lastActiveAt(), now, a.value()));
        events.add(new AlertEvent(0, a.rule(), a.labels(), AlertState.RESOLVED, now, a.value(), a.firedFor(now).toMillis()));
      }
    }
    return new Step(after, events);
  }

  /** The series' labels, then the rule's (which win), then {@code alertname} and {@code severity}. */
  static Map<String, String> labels(AlertRule rule, Map<String, String> series) {
    Map<String, String> labels = new TreeMap<>(series);
    labels.putAll(rule.labels());
    labels.put("alertname", rule.name());
    labels.put("severity", rule.severity());
    return labels;
  }

  /** A stable id of a rule's alert for one set of labels. */
  static String fingerprint(String rule, Map<String, String> labels) {
    StringBuilder text = new StringBuilder(rule);
    new TreeMap<>(labels).forEach((k, v) -> text.append('\u0000').append(k).append('=').append(v));
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The rule's annotations with {@code {{ $labels.x }}} and {@code {{ $value }}} filled in. */
  static Map<String, String> annotations(AlertRule rule, Map<String, String> labels, double value) {
    Map<String, String> out = new TreeMap<>();
    rule.annotations().forEach((k, text) -> out.put(k, fill(text, labels, value)));
    return out;
  }

  private static String fill(String text, Map<String, String> labels, double value) {
    Matcher m = TEMPLATE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String with = m.group(2) != null ? labels.getOrDefault(m.group(2), "") : formatValue(value);
      m.appendReplacement(out, Matcher.quoteReplacement(with));
    }
    m.appendTail(out);
    return out.toString();
  }

  static String formatValue(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return String.format(java.util.Locale.ROOT, "%.4g", v);
  }
}
