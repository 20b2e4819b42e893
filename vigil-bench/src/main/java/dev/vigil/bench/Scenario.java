package dev.vigil.bench;

import java.util.Map;

/** One end-to-end scenario: runs Vigil (and peers, where the issue asks for them). */
interface Scenario {
  String name();

  /**
   * Runs the scenario.
   *
   * @return its JSON node: {@code {"vigil":{…},"peers":{…}}}, plus anything else worth keeping
   */
  Map<String, Object> run(BenchContext ctx) throws Exception;
}
