package dev.vigil.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.observe.health.CheckResult;
import dev.vigil.observe.health.HealthChecks;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HealthMetersTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @TempDir Path dir;

  private double status(String check) {
    return registry.get("vigil.health.status").tag("check", check).gauge().value();
  }

  @Test
  void each_check_is_a_gauge_0_healthy_1_degraded_2_unhealthy() {
    HealthChecks checks =
        HealthChecks.builder()
            .cacheFor(java.time.Duration.ZERO)
            .add("store", () -> CheckResult.unhealthy("no answer"))
            .add("memory", () -> CheckResult.degraded("85 % used"))
            .add("cpu", () -> CheckResult.healthy("fine"))
            .add("broken", () -> {
              throw new IllegalStateException("secret detail");
            })
            .build();

    HealthMeters.register(registry, checks, null);

    assertThat(status("store")).isEqualTo(2);
    assertThat(status("memory")).isEqualTo(1);
    assertThat(status("cpu")).isZero();
    assertThat(status("broken")).as("a check that throws is unhealthy").isEqualTo(2);
    assertThat(registry.find("vigil.data.dir.free").gauge()).as("no data directory, no space gauges").isNull();
  }

  @Test
  void one_report_serves_every_status_gauge_of_a_scrape() {
    var runs = new AtomicInteger();
    HealthChecks checks =
        HealthChecks.builder()
            .cacheFor(java.time.Duration.ZERO)
            .add("a", () -> CheckResult.healthy("run " + runs.incrementAndGet()))
            .add("b", () -> CheckResult.healthy("ok"))
            .build();
    HealthMeters.register(registry, checks, null);

    status("a");
    status("b");
    status("a");

    assertThat(runs).hasValue(1);
  }

  @Test
  void the_data_directory_space_is_read_from_its_file_system_even_before_it_exists() throws Exception {
    HealthChecks checks = HealthChecks.builder().build();
    Path notYet = dir.resolve("not/created/yet");

    HealthMeters.register(registry, checks, notYet);

    double free = registry.get("vigil.data.dir.free").gauge().value();
    double total = registry.get("vigil.data.dir.total").gauge().value();
    assertThat(free).isPositive().isEqualTo((double) Files.getFileStore(dir).getUsableSpace(), org.assertj.core.data.Offset.offset(1e9));
    assertThat(total).isEqualTo((double) Files.getFileStore(dir).getTotalSpace());
    assertThat(registry.get("vigil.data.dir.free").gauge().getId().getBaseUnit()).isEqualTo("bytes");
  }
}
