package dev.vigil.observe;

/** One kind of sensitive text the {@link Redactor} finds and masks. */
interface Detector {

  /** The detector's name in configuration ({@code redaction.disabled_detectors}). */
  String name();

  /** {@code text} with every occurrence masked; the same instance when nothing was found. */
  String redact(String text);
}
