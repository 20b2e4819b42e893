package dev.vigil.carbon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RAPL counters read from a fake sysfs powercap tree. */
class RaplCountersTest {

  private static final long MAX = 262_143_328_850L;

  @TempDir Path root;

  private void domain(String name, long energy) throws IOException {
    Path dir = Files.createDirectories(root.resolve(name));
    Files.writeString(dir.resolve("energy_uj"), energy + "\n");
    Files.writeString(dir.resolve("max_energy_range_uj"), MAX + "\n");
  }

  private void set(String name, long energy) throws IOException {
    Files.writeString(root.resolve(name).resolve("energy_uj"), energy + "\n");
  }

  @Test
  void sums_package_counters_across_a_wrap_and_ignores_sub_domains() throws IOException {
    Files.createDirectories(root.resolve("intel-rapl")); // the control type: no counter
    domain("intel-rapl:0", 1_000_000);
    domain("intel-rapl:0:0", 500); // core sub-domain, part of package 0
    domain("intel-rapl:1", MAX - 1_000_000);
    RaplCounters rapl = RaplCounters.open(root).orElseThrow();
    assertThat(rapl.packages()).isEqualTo(2);

    set("intel-rapl:0", 4_600_000); // +3,600,000 uJ
    set("intel-rapl:0:0", 900_000_000); // ignored
    set("intel-rapl:1", 2_600_000); // wrapped: (MAX - (MAX - 1,000,000)) + 2,600,000 = 3,600,000 uJ

    // 7,200,000 uJ = 7.2 J = 7.2 / 3600 Wh = 0.002 Wh
    assertThat(rapl.whSinceLastRead(Duration.ofSeconds(15))).isCloseTo(0.002, within(1e-12));
    // nothing moved since: nothing more
    assertThat(rapl.whSinceLastRead(Duration.ofSeconds(15))).isZero();
  }

  @Test
  void wrap_delta_counts_both_sides_of_the_maximum() {
    assertThat(RaplCounters.delta(10, 25, 100)).isEqualTo(15);
    assertThat(RaplCounters.delta(90, 5, 100)).isEqualTo(15);
  }

  @Test
  void no_tree_or_no_readable_counter_means_no_rapl() throws IOException {
    assertThat(RaplCounters.open(root.resolve("absent"))).isEmpty();
    Files.createDirectories(root.resolve("intel-rapl:0")); // no energy_uj
    Path garbled = Files.createDirectories(root.resolve("intel-rapl:1"));
    Files.writeString(garbled.resolve("energy_uj"), "not a number");
    Files.writeString(garbled.resolve("max_energy_range_uj"), "1");
    assertThat(RaplCounters.open(root)).isEmpty();
  }

  @Test
  void sampler_uses_rapl_when_readable_and_utilisation_otherwise() throws IOException {
    CarbonSettings settings = CarbonSettings.defaults();
    assertThat(ProcessEnergySampler.chooseCpu(root, settings, () -> 0, 4).method())
        .isEqualTo(PowerMethod.CPU_UTILISATION_TDP);
    domain("intel-rapl:0", 1);
    assertThat(ProcessEnergySampler.chooseCpu(root, settings, () -> 0, 4).method())
        .isEqualTo(PowerMethod.RAPL);
  }
}
