package dev.vigil.observe.errors;

/**
 * One stack frame as grouping sees it: where (a Java class, a Python module) and which function,
 * normalised, without file or line.
 */
record Frame(String module, String function, boolean inApp) {

  /** {@code com.acme.Reply in generate}: how a frame reads in a fingerprint and as a culprit. */
  @Override
  public String toString() {
    return module + " in " + function;
  }
}
