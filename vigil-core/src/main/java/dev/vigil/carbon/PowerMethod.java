package dev.vigil.carbon;

/** How a part of Vigil's own power draw was measured or estimated, from best to worst. */
public enum PowerMethod {
  /** Intel RAPL energy counters of the CPU packages (whole machine, measured). */
  RAPL,
  /** Process CPU utilisation times the CPU package TDP (estimated). */
  CPU_UTILISATION_TDP,
  /** NVIDIA GPU power draw reported by {@code nvidia-smi}, sampled (measured). */
  NVIDIA_SMI,
  /** Nothing to measure: no such device was found. */
  NONE
}
