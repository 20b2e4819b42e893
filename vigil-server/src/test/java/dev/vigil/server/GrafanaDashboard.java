package dev.vigil.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code deploy/grafana/dashboards/vigil.json}, read: its panels, queries and variables. */
record GrafanaDashboard(JsonNode json) {
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)(?::\\w+)?}|\\$(\\w+)");
  private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.*),\\s*\\w+\\)");

  static Path file(Path root) {
    return root.resolve("deploy/grafana/dashboards/vigil.json");
  }

  static GrafanaDashboard read(Path root) throws IOException {
    return new GrafanaDashboard(new ObjectMapper().readTree(file(root).toFile()));
  }

  /** Every panel that is not a row, rows' nested panels included. */
  List<JsonNode> panels() {
    var out = new ArrayList<JsonNode>();
    for (JsonNode p : json.path("panels")) {
      if (p.path("type").asText().equals("row")) {
        p.path("panels").forEach(out::add);
      } else {
        out.add(p);
      }
    }
    return out;
  }

  /**
   * Every PromQL expression of the dashboard, keyed by where it is: each panel target ({@code
   * panel "title" A}), each annotation query, and the series selector of each {@code
   * label_values(...)} variable query.
   */
  Map<String, String> expressions() {
    var out = new LinkedHashMap<String, String>();
    for (JsonNode panel : panels()) {
      for (JsonNode t : panel.path("targets")) {
        out.put("panel \"" + panel.path("title").asText() + "\" " + t.path("refId").asText(), t.path("expr").asText());
      }
    }
    for (JsonNode a : json.path("annotations").path("list")) {
      if (a.has("expr")) {
        out.put("annotation \"" + a.path("name").asText() + "\"", a.path("expr").asText());
      }
    }
    for (JsonNode v : variables()) {
      Matcher m = LABEL_VALUES.matcher(v.path("definition").asText());
      if (v.path("type").asText().equals("query") && m.matches()) {
        out.put("variable " + v.path("name").asText(), m.group(1));
      }
    }
    return out;
  }

  List<JsonNode> variables() {
    var out = new ArrayList<JsonNode>();
    json.path("templating").path("list").forEach(out::add);
    return out;
  }

  /**
   * {@code expr} with every template variable replaced: {@code values} for the dashboard's own
   * variables, and Grafana's built-ins ({@code $__rate_interval}, {@code $__interval}, {@code
   * $__range}) by durations.
   *
   * @throws IllegalArgumentException for a variable that has no value
   */
  static String substitute(String expr, Map<String, String> values) {
    Map<String, String> all = new LinkedHashMap<>(values);
    all.putIfAbsent("__rate_interval", "1m");
    all.putIfAbsent("__interval", "15s");
    all.putIfAbsent("__range", "1h");
    Matcher m = VARIABLE.matcher(expr);
    var out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1) != null ? m.group(1) : m.group(2);
      String value = all.get(name);
      if (value == null) {
        throw new IllegalArgumentException("no value for $" + name + " in " + expr);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }
}
