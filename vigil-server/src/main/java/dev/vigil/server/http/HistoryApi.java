package dev.vigil.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.InvalidRequestException;
import dev.vigil.InvalidRequestException.FieldError;
import dev.vigil.observe.history.HistoryFunction;
import dev.vigil.observe.history.HistoryQuery;
import dev.vigil.observe.history.HistoryResult;
import dev.vigil.observe.history.MetricDescriptor;
import dev.vigil.observe.history.MetricHistory;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Metric history ({@code API.md}, "Metric history"): {@code GET /api/v1/metrics/names} lists what
 * history holds; {@code GET /api/v1/metrics/query} reads the query string into a {@link
 * HistoryQuery} and answers what {@link MetricHistory#query} computes. Unknown parameters, and
 * every part the query engine refuses, answer 400 naming the field. 404 when history is off.
 */
final class HistoryApi {
  private static final Set<String> PARAMS = Set.of("name", "fn", "by", "from", "to", "step_ms");
  private static final Pattern MATCH = Pattern.compile("match\\[(.*)]");

  private final MetricHistory history;
  private final InstantSource clock;

  /** @param history the query engine, or null when history is off (404) */
  HistoryApi(MetricHistory history, InstantSource clock) {
    this.history = history;
    this.clock = clock;
  }

  /** {@code GET /api/v1/metrics/names}: {@code {"metrics":[{"name","kind","labels":[…]}]}}, by name. */
  void names(Context ctx) {
    ObjectNode body = Json.object();
    ArrayNode metrics = body.putArray("metrics");
    for (MetricDescriptor d : history().names()) {
      ObjectNode m = metrics.addObject();
      m.put("name", d.name());
      m.put("kind", d.kind().wireName());
      d.labels().forEach(m.putArray("labels")::add);
    }
    Json.send(ctx, 200, body);
  }

  /**
   * {@code GET /api/v1/metrics/query?name=&fn=&by=&match[label]=&from=&to=&step_ms=}: {@code
   * {"name","fn","step_ms","series":[{"labels":{…},"points":[[time,value],…]}]}}.
   */
  void query(Context ctx) {
    MetricHistory engine = history();
    HistoryQuery query = parse(ctx.queryParamMap(), clock.instant());
    HistoryResult result = engine.query(query);
    ObjectNode body = Json.object();
    body.put("name", result.name());
    body.put("fn", result.fn().wireName());
    body.put("step_ms", result.step().toMillis());
    Json.putTime(body, "from", result.from());
    Json.putTime(body, "to", result.to());
    ArrayNode series = body.putArray("series");
    for (HistoryResult.Series s : result.series()) {
      ObjectNode one = series.addObject();
      ObjectNode labels = one.putObject("labels");
      s.labels().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> labels.put(e.getKey(), e.getValue()));
      ArrayNode points = one.putArray("points");
      for (HistoryResult.Point p : s.points()) {
        points.addArray().add(p.at().toString()).add(p.value());
      }
    }
    Json.send(ctx, 200, body);
  }

  /**
   * Reads a query string; relative times count back from {@code now}.
   *
   * @throws InvalidRequestException naming every bad parameter
   */
  static HistoryQuery parse(Map<String, List<String>> params, Instant now) {
    var errors = new ArrayList<FieldError>();
    var match = new TreeMap<String, String>();
    for (String p : new TreeMap<>(params).keySet()) {
      Matcher m = MATCH.matcher(p);
      if (m.matches()) {
        String value = QueryParams.single(params, p);
        if (value == null) {
          errors.add(new FieldError(p, "must have a value"));
        } else {
          match.put(m.group(1), value);
        }
      } else if (!PARAMS.contains(p)) {
        errors.add(new FieldError(p, "unknown query parameter"));
      }
    }
    String name = QueryParams.single(params, "name");
    if (name == null) {
      errors.add(new FieldError("name", "is required"));
    }
    HistoryFunction fn = null;
    String fnText = QueryParams.single(params, "fn");
    if (fnText != null) {
      fn = HistoryFunction.fromWire(fnText.strip()).orElse(null);
      if (fn == null) {
        errors.add(new FieldError("fn", "must be one of " + Arrays.stream(HistoryFunction.values()).map(HistoryFunction::wireName).toList()));
      }
    }
    List<String> by = new ArrayList<>();
    for (String value : params.getOrDefault("by", List.of())) {
      Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).forEach(by::add);
    }
    Optional<Instant> from = QueryParams.time(params, "from", now, errors);
    Optional<Instant> to = QueryParams.time(params, "to", now, errors);
    Duration step = null;
    String stepText = QueryParams.single(params, "step_ms");
    if (stepText != null) {
      try {
        step = Duration.ofMillis(Long.parseLong(stepText.strip()));
      } catch (NumberFormatException e) {
        errors.add(new FieldError("step_ms", "must be a whole number of milliseconds"));
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(errors);
    }
    var b = HistoryQuery.builder(name).fn(fn).by(by).step(step);
    from.ifPresent(b::from);
    to.ifPresent(b::to);
    match.forEach(b::match);
    return b.build();
  }

  private MetricHistory history() {
    if (history == null) {
      throw Problem.of(404, "not-found", "Not Found", "metric history is switched off (history.enabled: false, or metrics.enabled: false)")
          .toException();
    }
    return history;
  }
}
