package dev.vigil.store;

import java.time.Instant;

/**
 * One Vigil node as the shared store knows it: who it is, where it runs, when it started, and
 * what it reported at its last heartbeat.
 */
public record NodeRecord(
    String id, String host, String version, Instant startedAt, Instant lastHeartbeat, int runningJobs) {}
