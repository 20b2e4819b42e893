package dev.vigil.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.InvalidRequestException;
import dev.vigil.InvalidRequestException.FieldError;
import dev.vigil.llm.LlmCallReport;
import dev.vigil.llm.LlmUsage;
import dev.vigil.llm.TokenCounts;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads the {@code usage} records a remote worker reports with {@code complete} or {@code fail}:
 * {@code [{"provider","model","operation","input_tokens","output_tokens","cached_input_tokens",
 * "reasoning_tokens","duration_ms","outcome","cost_usd"}]}, at most {@value #MAX_RECORDS}.
 * {@code provider} and {@code model} are required strings of at most 200 characters; token counts
 * are integers from 0 ({@code cached_input_tokens} at most {@code input_tokens}, {@code
 * reasoning_tokens} at most {@code output_tokens}); {@code duration_ms} a number from 0 to a day;
 * {@code outcome} {@code ok} (the default) or {@code error}; {@code cost_usd}, when given, a number
 * from 0 that wins over the price table. Every problem is reported at once, as {@code
 * usage[i].field}, and a request with any bad record stores nothing.
 */
final class UsageReports {
  static final int MAX_RECORDS = 1_000;
  private static final int MAX_TEXT = 200;
  private static final double MAX_DURATION_MS = 86_400_000;
  private static final Set<String> RECORD =
      Set.of(
          "provider", "model", "operation", "input_tokens", "output_tokens", "cached_input_tokens",
          "reasoning_tokens", "duration_ms", "outcome", "cost_usd");

  private UsageReports() {}

  /**
   * The records of {@code node} (the {@code usage} field, absent or null for none).
   *
   * @throws InvalidRequestException naming every invalid field
   */
  static List<LlmCallReport> read(JsonNode node) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new InvalidRequestException("usage", "must be an array of usage records");
    }
    if (node.size() > MAX_RECORDS) {
      throw new InvalidRequestException("usage", "at most " + MAX_RECORDS + " records");
    }
    var errors = new ArrayList<FieldError>();
    var out = new ArrayList<LlmCallReport>(node.size());
    for (int i = 0; i < node.size(); i++) {
      Fields f = Fields.of(node.get(i), "usage[" + i + "].", RECORD);
      String provider = f.requiredText("provider");
      String model = f.requiredText("model");
      String operation = f.text("operation");
      f.check(provider == null || provider.length() <= MAX_TEXT, "provider", "must be at most 200 characters");
      f.check(model == null || model.length() <= MAX_TEXT, "model", "must be at most 200 characters");
      f.check(operation == null || (!operation.isBlank() && operation.length() <= MAX_TEXT), "operation",
          "must be 1 to 200 characters");
      long input = tokens(f, "input_tokens");
      long output = tokens(f, "output_tokens");
      long cached = tokens(f, "cached_input_tokens");
      long reasoning = tokens(f, "reasoning_tokens");
      f.check(cached <= input, "cached_input_tokens", "must be at most input_tokens, which counts cached tokens too");
      f.check(reasoning <= output, "reasoning_tokens", "must be at most output_tokens, which counts reasoning tokens too");
      Double ms = f.number("duration_ms");
      f.check(ms == null || (ms >= 0 && ms <= MAX_DURATION_MS), "duration_ms", "must be between 0 and 86400000");
      String outcome = f.text("outcome");
      f.check(outcome == null || outcome.equals(LlmUsage.OK) || outcome.equals(LlmUsage.ERROR), "outcome",
          "must be ok or error");
      BigDecimal cost = cost(f);
      errors.addAll(f.errors());
      if (f.errors().isEmpty()) {
        out.add(new LlmCallReport(
            provider, model, operation, new TokenCounts(input, cached, output, reasoning),
            ms == null ? 0 : Math.round(ms), outcome, cost));
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(errors);
    }
    return out;
  }

  private static long tokens(Fields f, String field) {
    Long v = f.integer(field);
    f.check(v == null || v >= 0, field, "must not be negative");
    return v == null || v < 0 ? 0 : v;
  }

  private static BigDecimal cost(Fields f) {
    JsonNode v = f.value("cost_usd");
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isNumber()) {
      f.error("cost_usd", "must be a number");
      return null;
    }
    BigDecimal cost = v.decimalValue();
    f.check(cost.signum() >= 0, "cost_usd", "must not be negative");
    return cost.signum() < 0 ? null : cost;
  }
}
