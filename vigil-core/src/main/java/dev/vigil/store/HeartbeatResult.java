package dev.vigil.store;

import java.time.Instant;

/**
 * The answer to a heartbeat: the lease's new expiry, and whether someone asked for the job to be
 * cancelled (the worker should stop and report it).
 */
public record HeartbeatResult(Instant leaseExpiresAt, boolean cancelRequested) {}
