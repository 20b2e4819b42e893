package dev.vigil.server.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** A Prometheus text scrape, read the way a test needs it: samples by name and labels. */
record Scrape(String text) {

  /** The sample lines (not comments). */
  List<String> samples() {
    return text.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
  }

  /** How many series of Vigil's own meters ({@code vigil_*}) the scrape holds. */
  long vigilSeries() {
    return samples().stream().filter(l -> l.startsWith("vigil_")).count();
  }

  /**
   * The value of the sample {@code name} whose labels include every one of {@code labels} (given
   * as {@code key, value, ...}); 0 when there is none.
   */
  double value(String name, String... labels) {
    for (String line : samples()) {
      int brace = line.indexOf('{');
      int space = line.lastIndexOf(' ');
      String sampleName = brace >= 0 ? line.substring(0, brace) : line.substring(0, space);
      if (!sampleName.equals(name)) {
        continue;
      }
      String labelText = brace >= 0 ? line.substring(brace, line.lastIndexOf('}') + 1) : "";
      boolean all = true;
      for (int i = 0; i < labels.length; i += 2) {
        all &= labelText.contains(labels[i] + "=\"" + labels[i + 1] + "\"");
      }
      if (all) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return 0;
  }

  /** Sample counts by metric family name, for messages. */
  Map<String, Long> countsByName() {
    return samples().stream()
        .collect(Collectors.groupingBy(l -> l.split("[{ ]", 2)[0], java.util.TreeMap::new, Collectors.counting()));
  }

  /** {@code promtool check metrics} on this scrape: its exit status and everything it printed. */
  record Lint(int exit, String output) {}

  Lint promtool(Path dir) throws IOException, InterruptedException {
    Path file = Files.writeString(dir.resolve("scrape.prom"), text, StandardCharsets.UTF_8);
    Process p =
        new ProcessBuilder("promtool", "check", "metrics")
            .redirectInput(file.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("promtool did not finish in 60 s");
    }
    return new Lint(p.exitValue(), out);
  }

  static boolean promtoolInstalled() {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "promtool"))) {
        return true;
      }
    }
    return false;
  }
}
