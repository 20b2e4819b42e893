package dev.vigil.carbon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Vigil's own energy, driven by a manual clock and injected readings. */
class ProcessEnergySamplerTest {

  private static final double EPS = 1e-9;
  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-03T12:00:00Z"));
  private final AtomicLong cpuNanos = new AtomicLong(5_000_000_000L);

  private static GpuPower fixedGpu(double watts) {
    return new GpuPower() {
      @Override
      public PowerMethod method() {
        return PowerMethod.NVIDIA_SMI;
      }

      @Override
      public OptionalDouble watts() {
        return OptionalDouble.of(watts);
      }
    };
  }

  @Test
  void utilisation_times_tdp_gives_cpu_energy() {
    // 4 cores, TDP 100 W; 36 s of CPU in 60 s of wall time:
    // utilisation 36 / (60 x 4) = 0.15 -> 15 W x 60 s = 900 J = 0.25 Wh
    CpuUtilisation cpu = new CpuUtilisation(cpuNanos::get, 4, 100);
    cpuNanos.addAndGet(36_000_000_000L);
    assertThat(cpu.whSinceLastRead(Duration.ofSeconds(60))).isCloseTo(0.25, within(EPS));
  }

  @Test
  void utilisation_is_capped_at_every_core_busy() {
    // 600 s of CPU in 60 s on 4 cores would be 250 %: capped at 100 % -> 100 W x 60 s = 1/0.6 Wh
    CpuUtilisation cpu = new CpuUtilisation(cpuNanos::get, 4, 100);
    cpuNanos.addAndGet(600_000_000_000L);
    assertThat(cpu.whSinceLastRead(Duration.ofSeconds(60))).isCloseTo(100.0 / 60, within(EPS));
  }

  @Test
  void without_a_configured_tdp_each_core_counts_the_default_watts() {
    CpuEnergySource cpu =
        ProcessEnergySampler.chooseCpu(
            Path.of("/nonexistent-powercap"), CarbonSettings.defaults(), cpuNanos::get, 8);
    assertThat(((CpuUtilisation) cpu).tdpWatts()).isEqualTo(80.0);
    CpuEnergySource configured =
        ProcessEnergySampler.chooseCpu(
            Path.of("/nonexistent-powercap"),
            CarbonSettings.defaults().withCpuTdpWatts(65),
            cpuNanos::get,
            8);
    assertThat(((CpuUtilisation) configured).tdpWatts()).isEqualTo(65.0);
  }

  @Test
  void sampler_adds_cpu_memory_and_gpu_then_applies_pue_and_grid() {
    // Region FR (67 g/kWh), PUE 1.5, 4 cores at 100 W, 2 GB resident at 0.375 W/GB, GPU at 50 W.
    CarbonSettings settings =
        CarbonSettings.defaults().withRegion("FR").withPue(1.5).withCpuTdpWatts(100);
    ProcessEnergySampler sampler =
        new ProcessEnergySampler(
            settings,
            clock,
            new ProcessEnergySampler.Readers(
                new CpuUtilisation(cpuNanos::get, 4, 100), () -> 2.0, fixedGpu(50)));

    clock.advance(Duration.ofSeconds(60));
    cpuNanos.addAndGet(36_000_000_000L);
    sampler.sample();
    sampler.sample(); // no time passed: adds nothing

    // cpu 0.25 Wh (as above); memory 2 x 0.375 W x 60 s = 45 J = 0.0125 Wh;
    // gpu 50 W x 60 s = 3000 J = 0.833333333 Wh; sum 1.095833333 Wh x 1.5 = 1.64375 Wh;
    // CO2e 1.64375 / 1000 x 67 = 0.11013125 g
    ProcessEnergy energy = sampler.snapshot();
    assertThat(energy.cpuWh()).isCloseTo(0.25, within(EPS));
    assertThat(energy.memoryWh()).isCloseTo(0.0125, within(EPS));
    assertThat(energy.gpuWh()).isCloseTo(0.833333333, within(EPS));
    assertThat(energy.energyWh()).isCloseTo(1.64375, within(EPS));
    assertThat(energy.co2eGrams()).isCloseTo(0.11013125, within(EPS));
    assertThat(energy.cpuMethod()).isEqualTo(PowerMethod.CPU_UTILISATION_TDP);
    assertThat(energy.gpuMethod()).isEqualTo(PowerMethod.NVIDIA_SMI);
    assertThat(energy.since()).isEqualTo(Instant.parse("2026-12-03T12:00:00Z"));
    assertThat(energy.at()).isEqualTo(Instant.parse("2026-12-03T12:01:00Z"));
  }

  @Test
  void without_a_gpu_the_sampler_says_so_and_counts_none() {
    ProcessEnergySampler sampler =
        new ProcessEnergySampler(
            CarbonSettings.defaults(),
            clock,
            new ProcessEnergySampler.Readers(
                new CpuUtilisation(cpuNanos::get, 1, 10), () -> 1.0, GpuPower.NONE));
    clock.advance(ProcessEnergySampler.PERIOD);
    sampler.sample();

    ProcessEnergy energy = sampler.snapshot();
    assertThat(energy.gpuMethod()).isEqualTo(PowerMethod.NONE);
    assertThat(energy.gpuWh()).isZero();
    // memory 1 GB x 0.375 W x 15 s = 5.625 J = 0.0015625 Wh; CPU idle; PUE 1; world 475 g/kWh
    assertThat(energy.energyWh()).isCloseTo(0.0015625, within(EPS));
    assertThat(energy.co2eGrams()).isCloseTo(0.0015625 / 1000 * 475, within(EPS));
  }

  @Test
  void a_failing_reader_loses_its_part_but_not_the_others() {
    CpuEnergySource broken =
        new CpuEnergySource() {
          @Override
          public PowerMethod method() {
            return PowerMethod.RAPL;
          }

          @Override
          public void prime() {}

          @Override
          public double whSinceLastRead(Duration wall) {
            throw new IllegalStateException("counter vanished");
          }
        };
    ProcessEnergySampler sampler =
        new ProcessEnergySampler(
            CarbonSettings.defaults(),
            clock,
            new ProcessEnergySampler.Readers(broken, () -> 8.0, GpuPower.NONE));
    clock.advance(Duration.ofHours(1));
    sampler.sample();

    // memory 8 GB x 0.375 W x 1 h = 3 Wh
    assertThat(sampler.snapshot().cpuWh()).isZero();
    assertThat(sampler.snapshot().memoryWh()).isCloseTo(3.0, within(EPS));
  }

  @Test
  void nvidia_smi_output_is_summed_and_an_absent_tool_means_no_gpu() {
    assertThat(NvidiaSmi.parse("45.12\n[N/A]\n30.00\n")).hasValue(75.12);
    assertThat(NvidiaSmi.parse("NVIDIA-SMI has failed because it couldn't communicate")).isEmpty();
    assertThat(NvidiaSmi.probe(List.of("/nonexistent/nvidia-smi", "--query-gpu=power.draw")))
        .isEmpty();
  }

  @Test
  void the_real_sampler_starts_on_any_machine_and_names_its_methods() {
    // No RAPL tree or no nvidia-smi (as on the build machines) must degrade, not fail.
    ProcessEnergy energy = ProcessEnergySampler.create(CarbonSettings.defaults()).snapshot();

    assertThat(energy.energyWh()).isZero();
    assertThat(energy.cpuMethod()).isIn(PowerMethod.RAPL, PowerMethod.CPU_UTILISATION_TDP);
    assertThat(energy.gpuMethod()).isIn(PowerMethod.NVIDIA_SMI, PowerMethod.NONE);
    assertThat(ResidentMemory.gigabytes()).isPositive();
  }

  @Test
  void resident_memory_parses_proc_status_lines() {
    assertThat(ResidentMemory.parseStatusKb("VmRSS:\t  524288 kB")).isEqualTo(524_288);
  }
}
