package dev.vigil.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.InvalidRequestException;
import dev.vigil.InvalidRequestException.FieldError;
import dev.vigil.carbon.ProcessEnergy;
import dev.vigil.observe.history.HistoryFunction;
import dev.vigil.observe.history.HistoryQuery;
import dev.vigil.observe.history.HistoryResult;
import dev.vigil.observe.history.MetricHistory;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code GET /api/v1/carbon?from=&to=} (API.md, "LLM usage, cost, energy, carbon"): the energy and
 * carbon of a time range, Vigil's own processes and the model calls apart, read from metric
 * history (the increase of their counters, summed over the cluster's nodes), with the intensity and
 * PUE this node applies and how each figure was obtained. 404 when history is off: nothing is kept
 * to answer from.
 */
final class CarbonApi {
  static final String PROCESS_ENERGY = "vigil_process_energy_wh_total";
  static final String PROCESS_CO2E = "vigil_process_co2e_grams_total";
  static final String LLM_ENERGY = "vigil_llm_energy_wh_total";
  static final String LLM_CO2E = "vigil_llm_co2e_grams_total";

  private static final Set<String> PARAMS = Set.of("from", "to");
  private static final Duration DEFAULT_RANGE = Duration.ofHours(24);

  private final MetricHistory history;
  private final Supplier<ProcessEnergy> process;
  private final InstantSource clock;

  /**
   * @param history the metric history, or null when it is off (404)
   * @param process this node's process energy so far, or null when it is not sampled
   */
  CarbonApi(MetricHistory history, Supplier<ProcessEnergy> process, InstantSource clock) {
    this.history = history;
    this.process = process;
    this.clock = clock;
  }

  void get(Context ctx) {
    if (history == null) {
      throw Problem.of(404, "not-found", "Not Found",
          "energy and carbon are read from metric history, which is switched off (history.enabled: false, or metrics.enabled: false)")
          .toException();
    }
    Instant now = clock.instant();
    var errors = new ArrayList<FieldError>();
    ctx.queryParamMap().keySet().stream().filter(p -> !PARAMS.contains(p)).sorted()
        .forEach(p -> errors.add(new FieldError(p, "unknown query parameter")));
    Instant to = QueryParams.time(ctx.queryParamMap(), "to", now, errors).orElse(now);
    Instant from = QueryParams.time(ctx.queryParamMap(), "from", now, errors).orElse(to.minus(DEFAULT_RANGE));
    if (errors.isEmpty() && !from.isBefore(to)) {
      errors.add(new FieldError("from", "must be before to"));
    }
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(errors);
    }

    ObjectNode body = Json.object();
    Json.putTime(body, "from", from);
    Json.putTime(body, "to", to);
    Double processWh = increase(PROCESS_ENERGY, from, to);
    Double processG = increase(PROCESS_CO2E, from, to);
    Double llmWh = increase(LLM_ENERGY, from, to);
    Double llmG = increase(LLM_CO2E, from, to);
    putSum(body, "energy_wh", processWh, llmWh);
    putSum(body, "co2e_g", processG, llmG);
    ObjectNode p = body.putObject("process");
    putNumber(p, "energy_wh", processWh);
    putNumber(p, "co2e_g", processG);
    List<String> notes = new ArrayList<>();
    ProcessEnergy sampled = process == null ? null : process.get();
    if (sampled != null) {
      p.put("cpu_method", sampled.cpuMethod().name().toLowerCase(Locale.ROOT));
      p.put("gpu_method", sampled.gpuMethod().name().toLowerCase(Locale.ROOT));
      p.put("pue", sampled.pue());
      p.put("grid_intensity_g_per_kwh", sampled.gramsPerKwh());
      notes.add("process: measured every 15 s per node, CPU by " + sampled.cpuMethod().name().toLowerCase(Locale.ROOT)
          + ", memory at the configured watts per GB, times PUE " + sampled.pue() + ", at " + sampled.gramsPerKwh()
          + " gCO2e/kWh (docs/carbon.md)");
    }
    if (processWh == null) {
      notes.add("process: history holds no energy samples yet (the first comes 15 s after a node starts)");
    }
    ObjectNode llm = body.putObject("llm");
    putNumber(llm, "energy_wh", llmWh);
    putNumber(llm, "co2e_g", llmG);
    notes.add(llmWh == null
        ? "model calls: no usage recorded in history; null means unknown, not zero"
        : "model calls: estimated per call after EcoLogits from output tokens and model size (docs/carbon.md)");
    notes.forEach(body.putArray("notes")::add);
    Json.send(ctx, 200, body);
  }

  /** The increase of counter {@code name} over the range, summed over its series; null when history has no such metric. */
  private Double increase(String name, Instant from, Instant to) {
    if (history.kind(name).isEmpty()) {
      return null;
    }
    HistoryResult result = history.query(HistoryQuery.builder(name).fn(HistoryFunction.INCREASE).from(from).to(to).build());
    double sum = 0;
    for (HistoryResult.Series s : result.series()) {
      for (HistoryResult.Point point : s.points()) {
        sum += point.value();
      }
    }
    return sum;
  }

  private static void putSum(ObjectNode node, String field, Double a, Double b) {
    putNumber(node, field, a == null && b == null ? null : (a == null ? 0 : a) + (b == null ? 0 : b));
  }

  private static void putNumber(ObjectNode node, String field, Double v) {
    if (v == null) {
      node.putNull(field);
    } else {
      node.put(field, v);
    }
  }
}
