package dev.vigil.observe.health;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Every check's result at one moment, and the node's status: the worst of them ({@code healthy}
 * when there are none).
 *
 * @param checks by name, in the order they were added
 */
public record HealthReport(HealthStatus status, Instant timestamp, Map<String, CheckResult> checks, Duration uptime) {}
