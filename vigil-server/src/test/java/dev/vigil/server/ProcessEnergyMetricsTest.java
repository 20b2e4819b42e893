package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A server meters its own energy and carbon from start-up, as counters Prometheus accepts. */
class ProcessEnergyMetricsTest extends ServerTestSupport {
  @Test
  void the_scrape_carries_the_process_energy_and_carbon_counters() {
    String scrape = api.get("/metrics").text();

    assertThat(scrape).contains("# TYPE vigil_process_energy_wh_total counter", "# TYPE vigil_process_co2e_grams_total counter");
    assertThat(value(scrape, "vigil_process_energy_wh_total")).isGreaterThanOrEqualTo(0);
    assertThat(value(scrape, "vigil_process_co2e_grams_total")).isGreaterThanOrEqualTo(0);
  }

  private static double value(String scrape, String name) {
    return scrape.lines().filter(l -> l.startsWith(name + " ")).mapToDouble(l -> Double.parseDouble(l.substring(name.length() + 1)))
        .findFirst().orElseThrow();
  }
}
