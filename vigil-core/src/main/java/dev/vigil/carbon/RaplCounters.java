package dev.vigil.carbon;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Intel RAPL energy counters under {@code /sys/class/powercap}: one {@code intel-rapl:N} directory
 * per CPU package, each with a micro-joule counter {@code energy_uj} that wraps at {@code
 * max_energy_range_uj}. Only the package domains are read (their {@code intel-rapl:N:M}
 * sub-domains are parts of the package and would be counted twice).
 *
 * <p>The counters measure the whole package, every process on the machine, not Vigil alone (as
 * CodeCarbon's machine mode). Since 2020 most kernels let only root read them; then {@link #open}
 * finds nothing and Vigil falls back to utilisation times TDP.
 */
final class RaplCounters implements CpuEnergySource {

  private static final Pattern PACKAGE = Pattern.compile("intel-rapl:\\d+");
  private static final double MICROJOULES_PER_WH = 3.6e9;

  private final List<Domain> domains;

  private static final class Domain {
    final Path energy;
    final long maxRange;
    long previous;

    Domain(Path energy, long maxRange, long first) {
      this.energy = energy;
      this.maxRange = maxRange;
      this.previous = first;
    }
  }

  private RaplCounters(List<Domain> domains) {
    this.domains = domains;
  }

  /** The readable package counters under a powercap root, or empty when there are none. */
  static Optional<RaplCounters> open(Path powercapRoot) {
    if (!Files.isDirectory(powercapRoot)) {
      return Optional.empty();
    }
    List<Domain> domains = new ArrayList<>();
    try (Stream<Path> children = Files.list(powercapRoot)) {
      for (Path dir : children.sorted().toList()) {
        if (!PACKAGE.matcher(dir.getFileName().toString()).matches()) {
          continue;
        }
        Path energy = dir.resolve("energy_uj");
        try {
          long first = read(energy);
          long max = read(dir.resolve("max_energy_range_uj"));
          domains.add(new Domain(energy, max, first));
        } catch (IOException | NumberFormatException e) {
          // unreadable (usually permission denied for non-root): not a usable counter
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return domains.isEmpty() ? Optional.empty() : Optional.of(new RaplCounters(domains));
  }

  int packages() {
    return domains.size();
  }

  @Override
  public PowerMethod method() {
    return PowerMethod.RAPL;
  }

  @Override
  public void prime() {
    for (Domain d : domains) {
      d.previous = readUnchecked(d.energy);
    }
  }

  @Override
  public double whSinceLastRead(Duration wall) {
    long microjoules = 0;
    for (Domain d : domains) {
      long now = readUnchecked(d.energy);
      microjoules += delta(d.previous, now, d.maxRange);
      d.previous = now;
    }
    return microjoules / MICROJOULES_PER_WH;
  }

  /** Counter increase from {@code previous} to {@code now}, across one wrap at {@code maxRange}. */
  static long delta(long previous, long now, long maxRange) {
    return now >= previous ? now - previous : (maxRange - previous) + now;
  }

  private static long read(Path file) throws IOException {
    return Long.parseLong(Files.readString(file).strip());
  }

  private static long readUnchecked(Path file) {
    try {
      return read(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
