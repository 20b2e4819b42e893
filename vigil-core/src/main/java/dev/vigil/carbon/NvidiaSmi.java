package dev.vigil.carbon;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;

/**
 * NVIDIA GPU power read through {@code nvidia-smi --query-gpu=power.draw --format=csv,noheader,
 * nounits}: one line per GPU, in W, summed. The draw is a sample at the moment of reading; Vigil
 * multiplies it by the interval since the previous sample. Absent tool, a failing tool or no GPU:
 * {@link #probe} returns empty and GPU energy is reported as {@link PowerMethod#NONE}.
 */
final class NvidiaSmi implements GpuPower {

  static final List<String> COMMAND =
      List.of("nvidia-smi", "--query-gpu=power.draw", "--format=csv,noheader,nounits");

  private static final long TIMEOUT_SECONDS = 5;

  private final List<String> command;

  private NvidiaSmi(List<String> command) {
    this.command = List.copyOf(command);
  }

  /** A reader when the command runs and reports at least one GPU's power, else empty. */
  static Optional<NvidiaSmi> probe(List<String> command) {
    NvidiaSmi smi = new NvidiaSmi(command);
    return smi.watts().isPresent() ? Optional.of(smi) : Optional.empty();
  }

  @Override
  public PowerMethod method() {
    return PowerMethod.NVIDIA_SMI;
  }

  @Override
  public OptionalDouble watts() {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out;
      try (InputStream in = process.getInputStream()) {
        out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return OptionalDouble.empty();
      }
      return process.exitValue() == 0 ? parse(out) : OptionalDouble.empty();
    } catch (IOException e) {
      return OptionalDouble.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return OptionalDouble.empty();
    }
  }

  /** Sum of the numeric lines ({@code [N/A]} and other text skipped); empty if there are none. */
  static OptionalDouble parse(String output) {
    double sum = 0;
    boolean any = false;
    for (String line : output.split("\\R")) {
      try {
        sum += Double.parseDouble(line.strip());
        any = true;
      } catch (NumberFormatException e) {
        // "[N/A]" for GPUs that do not report power, or a message: skip
      }
    }
    return any ? OptionalDouble.of(sum) : OptionalDouble.empty();
  }
}
