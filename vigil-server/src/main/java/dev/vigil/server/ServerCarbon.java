package dev.vigil.server;

import dev.vigil.carbon.ProcessEnergy;
import dev.vigil.carbon.ProcessEnergySampler;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vigil's own energy and carbon on this node: samples the process every {@link
 * ProcessEnergySampler#PERIOD} (CodeCarbon-style, docs/carbon.md) and exposes the totals as the
 * counters {@code vigil_process_energy_wh_total} and {@code vigil_process_co2e_grams_total}, which
 * metric history keeps like any other. Off when metrics are off: nothing would read it.
 */
final class ServerCarbon implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ServerCarbon.class);

  static final ServerCarbon OFF = new ServerCarbon(null, null, null);

  private final ProcessEnergySampler sampler;
  private final ScheduledExecutorService executor;
  private final ScheduledFuture<?> sampling;

  private ServerCarbon(ProcessEnergySampler sampler, ScheduledExecutorService executor, ScheduledFuture<?> sampling) {
    this.sampler = sampler;
    this.executor = executor;
    this.sampling = sampling;
  }

  /** Starts sampling this process and registers its counters in {@code registry}. */
  static ServerCarbon start(ServerConfig config, MeterRegistry registry) {
    if (registry == null) {
      return OFF;
    }
    ProcessEnergySampler sampler = ProcessEnergySampler.create(config.carbon());
    FunctionCounter.builder("vigil.process.energy.wh", sampler, s -> s.snapshot().energyWh())
        .description("Energy this Vigil process drew, in watt-hours: CPU, memory and GPU, times the PUE (docs/carbon.md)")
        .register(registry);
    FunctionCounter.builder("vigil.process.co2e.grams", sampler, s -> s.snapshot().co2eGrams())
        .description("Carbon of that energy at the configured grid intensity, in grams CO2e (docs/carbon.md)")
        .register(registry);
    ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "vigil-carbon");
      t.setDaemon(true);
      return t;
    });
    ScheduledFuture<?> sampling = sampler.start(executor);
    ProcessEnergy first = sampler.snapshot();
    log.info("process energy: CPU by {}, GPU by {}, PUE {}, grid {} gCO2e/kWh, sampled every {} s",
        first.cpuMethod(), first.gpuMethod(), first.pue(), first.gramsPerKwh(), ProcessEnergySampler.PERIOD.toSeconds());
    return new ServerCarbon(sampler, executor, sampling);
  }

  /** This process's energy and carbon since it started; null when off. */
  ProcessEnergy process() {
    return sampler == null ? null : sampler.snapshot();
  }

  @Override
  public void close() {
    if (sampling != null) {
      sampling.cancel(false);
      executor.shutdownNow();
    }
  }
}
