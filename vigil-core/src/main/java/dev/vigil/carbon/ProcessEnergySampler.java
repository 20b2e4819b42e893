package dev.vigil.carbon;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accumulates the energy (Wh) and carbon of Vigil's own process, CodeCarbon-style: each {@link
 * #sample()} adds the energy of the interval since the previous one. CPU energy comes from Intel
 * RAPL counters when they are readable, otherwise from CPU utilisation times the TDP; memory energy
 * is resident GB times W per GB; NVIDIA GPUs are read through {@code nvidia-smi} when present. The
 * result says which method was used.
 *
 * <p>Design note: the clock and every reader are injected (package-private constructor), so tests
 * drive samples by hand; {@link #start} only schedules {@link #sample()} every {@link #PERIOD}.
 * A reader that fails mid-run loses that interval's energy for its part and is logged once; the
 * other parts still count.
 */
public final class ProcessEnergySampler {

  /** How often {@link #start} samples, as CodeCarbon's default. */
  public static final Duration PERIOD = Duration.ofSeconds(15);

  static final Path POWERCAP = Path.of("/sys/class/powercap");

  private static final Logger log = LoggerFactory.getLogger(ProcessEnergySampler.class);

  /** The readers a sampler uses. */
  record Readers(CpuEnergySource cpu, DoubleSupplier residentGb, GpuPower gpu) {}

  private final InstantSource clock;
  private final Readers readers;
  private final CarbonSettings settings;
  private final double gramsPerKwh;
  private final Instant since;
  private Instant last;
  private double cpuWh;
  private double memoryWh;
  private double gpuWh;
  private boolean warned;

  ProcessEnergySampler(CarbonSettings settings, InstantSource clock, Readers readers) {
    this.settings = settings;
    this.clock = clock;
    this.readers = readers;
    this.gramsPerKwh = settings.gridIntensity();
    this.since = clock.instant();
    this.last = since;
    readers.cpu().prime();
  }

  /**
   * A sampler of this machine: RAPL under {@code /sys/class/powercap} if readable, else
   * utilisation times TDP; {@code nvidia-smi} if it runs. Logs the methods chosen.
   */
  public static ProcessEnergySampler create(CarbonSettings settings) {
    int cores = Runtime.getRuntime().availableProcessors();
    CpuEnergySource cpu = chooseCpu(POWERCAP, settings, CpuUtilisation::jvmCpuNanos, cores);
    GpuPower gpu = NvidiaSmi.probe(NvidiaSmi.COMMAND).<GpuPower>map(g -> g).orElse(GpuPower.NONE);
    log.info(
        "process energy: cpu by {}, gpu by {}, memory at {} W/GB",
        cpu.method(),
        gpu.method(),
        settings.memoryWattsPerGb());
    return new ProcessEnergySampler(
        settings, InstantSource.system(), new Readers(cpu, ResidentMemory::gigabytes, gpu));
  }

  /** RAPL when a package counter under {@code powercap} is readable, else utilisation x TDP. */
  static CpuEnergySource chooseCpu(
      Path powercap, CarbonSettings settings, LongSupplier cpuNanos, int cores) {
    return RaplCounters.open(powercap)
        .<CpuEnergySource>map(r -> r)
        .orElseGet(
            () ->
                new CpuUtilisation(
                    cpuNanos,
                    cores,
                    settings
                        .cpuTdpWatts()
                        .orElse(cores * CarbonSettings.DEFAULT_WATTS_PER_CORE)));
  }

  /** Adds the energy of the interval since the previous sample (or the start). */
  public synchronized void sample() {
    Instant now = clock.instant();
    Duration wall = Duration.between(last, now);
    if (wall.isNegative() || wall.isZero()) {
      return;
    }
    last = now;
    double hours = wall.toNanos() / 3.6e12;
    try {
      cpuWh += readers.cpu().whSinceLastRead(wall);
    } catch (RuntimeException e) {
      warnOnce("cpu", e);
    }
    try {
      memoryWh += readers.residentGb().getAsDouble() * settings.memoryWattsPerGb() * hours;
    } catch (RuntimeException e) {
      warnOnce("memory", e);
    }
    readers.gpu().watts().ifPresent(w -> gpuWh += w * hours);
  }

  /** The energy and carbon accumulated so far. */
  public synchronized ProcessEnergy snapshot() {
    double energy = (cpuWh + memoryWh + gpuWh) * settings.pue();
    return new ProcessEnergy(
        since,
        last,
        cpuWh,
        memoryWh,
        gpuWh,
        energy,
        GridIntensity.co2eGrams(energy, gramsPerKwh),
        readers.cpu().method(),
        readers.gpu().method(),
        settings.pue(),
        gramsPerKwh);
  }

  /** Samples every {@link #PERIOD} on the given executor until the returned future is cancelled. */
  public ScheduledFuture<?> start(ScheduledExecutorService executor) {
    long period = PERIOD.toMillis();
    return executor.scheduleAtFixedRate(this::sample, period, period, TimeUnit.MILLISECONDS);
  }

  private void warnOnce(String part, RuntimeException e) {
    if (!warned) {
      warned = true;
      log.warn("process energy: could not read {}: {}", part, e.toString());
    }
  }
}
