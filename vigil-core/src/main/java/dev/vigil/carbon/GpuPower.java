package dev.vigil.carbon;

import java.util.OptionalDouble;

/** The current power draw of the machine's GPUs, in W; empty when it cannot be read. */
interface GpuPower {

  /** No GPU: nothing to read. */
  GpuPower NONE =
      new GpuPower() {
        @Override
        public PowerMethod method() {
          return PowerMethod.NONE;
        }

        @Override
        public OptionalDouble watts() {
          return OptionalDouble.empty();
        }
      };

  PowerMethod method();

  OptionalDouble watts();
}
