package dev.vigil.observe.health;

/**
 * One thing to check: the store, the disk, a dependency. Runs on its own virtual thread under a
 * timeout set by {@link HealthChecks}; throwing means unhealthy (the exception's type is
 * reported, not its message, which might carry data). Ready-made checks: {@link Checks}.
 */
@FunctionalInterface
public interface HealthCheck {
  CheckResult check() throws Exception;
}
