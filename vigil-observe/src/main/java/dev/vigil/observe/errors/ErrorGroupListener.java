package dev.vigil.observe.errors;

/**
 * Told when a group is created or regresses ({@link ErrorGroups#addListener}). Called on the
 * grouper's own thread after the write that made it so has committed, never on the engine's: a
 * slow listener delays grouping, not jobs. An exception it throws is logged and ignored.
 */
@FunctionalInterface
public interface ErrorGroupListener {
  void onErrorGroupEvent(ErrorGroupEvent event);
}
