package dev.vigil.bench;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Shows what a running scenario is doing, once a second, on standard error: rewriting one line on a
 * terminal, one line per report otherwise (so a log stays readable).
 */
final class Progress implements AutoCloseable {
  private final PrintStream out;
  private final boolean terminal;
  private final AtomicReference<Supplier<String>> status = new AtomicReference<>(() -> "");
  private final Thread ticker;
  private volatile boolean open = true;
  private int lastLength;

  Progress(PrintStream out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
    this.ticker = Thread.ofPlatform().daemon().name("bench-progress").start(this::tick);
  }

  /** Prints a line at once, clearing any status line. */
  synchronized void say(String line) {
    clear();
    out.println(line);
    out.flush();
  }

  /** What to show from now on (called again each second), e.g. counts of a running phase. */
  void status(String phase, Supplier<String> what) {
    status.set(() -> phase + ": " + what.get());
  }

  /** Stops showing a status. */
  synchronized void idle() {
    status.set(() -> "");
    clear();
  }

  private synchronized void clear() {
    if (terminal && lastLength > 0) {
      out.print("\r" + " ".repeat(lastLength) + "\r");
      lastLength = 0;
    }
  }

  private void tick() {
    while (open) {
      try {
        Thread.sleep(terminal ? 1_000 : 5_000);
      } catch (InterruptedException e) {
        return;
      }
      String line;
      try {
        line = status.get().get();
      } catch (RuntimeException e) {
        line = "";
      }
      if (line.isEmpty()) {
        continue;
      }
      synchronized (this) {
        if (terminal) {
          clear();
          out.print(line);
          lastLength = line.length();
        } else {
          out.println("  .. " + line);
        }
        out.flush();
      }
    }
  }

  @Override
  public void close() {
    open = false;
    ticker.interrupt();
    idle();
  }
}
