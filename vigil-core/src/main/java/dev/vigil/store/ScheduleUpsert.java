package dev.vigil.store;

import dev.vigil.job.Schedule;

/** The stored schedule after an upsert, and whether it was new rather than replaced. */
public record ScheduleUpsert(Schedule schedule, boolean created) {}
