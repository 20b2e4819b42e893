package dev.vigil.carbon;

import java.time.Duration;

/** Where the CPU part of Vigil's energy comes from: RAPL counters or utilisation times TDP. */
interface CpuEnergySource {

  PowerMethod method();

  /** Reads the current state as the baseline of the next interval. */
  void prime();

  /** Energy in Wh since the previous read, over an interval of the given wall-clock length. */
  double whSinceLastRead(Duration wall);
}
