package dev.vigil.server;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The metric names a PromQL expression selects, read with a small scanner: what is left once
 * strings, label matchers ({@code {...}}), ranges ({@code [5m]}), numbers and durations, grouping
 * label lists ({@code by (lane)}), keywords and function calls are set aside. Enough for the rules
 * and dashboard of this repository; not a PromQL parser ({@code __name__} matchers are not read).
 */
final class PromQlNames {
  private static final Set<String> KEYWORDS =
      Set.of(
          "and", "or", "unless", "bool", "offset", "inf", "nan", "atan2",
          "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values",
          "bottomk", "topk", "quantile");
  private static final Set<String> GROUPING = Set.of("by", "without", "on", "ignoring", "group_left", "group_right");

  private PromQlNames() {}

  static Set<String> metricNames(String expr) {
    var names = new TreeSet<String>();
    int i = 0;
    int n = expr.length();
    while (i < n) {
      char c = expr.charAt(i);
      if (c == '"' || c == '\'' || c == '`') {
        i = skipString(expr, i);
      } else if (c == '{') {
        i = skipBlock(expr, i, '{', '}');
      } else if (c == '[') {
        i = skipBlock(expr, i, '[', ']');
      } else if (c == '#') {
        while (i < n && expr.charAt(i) != '\n') {
          i++;
        }
      } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(expr.charAt(i + 1)))) {
        while (i < n && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '.' || expr.charAt(i) == '_')) {
          i++; // a number, 1e3, or a duration such as 15m or 1h30m
        }
      } else if (Character.isLetter(c) || c == '_' || c == ':') {
        int start = i;
        while (i < n && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '_' || expr.charAt(i) == ':')) {
          i++;
        }
        String word = expr.substring(start, i);
        int next = skipSpace(expr, i);
        String lower = word.toLowerCase(Locale.ROOT);
        if (GROUPING.contains(lower)) {
          if (next < n && expr.charAt(next) == '(') {
            i = skipBlock(expr, next, '(', ')');
          }
        } else if (!KEYWORDS.contains(lower) && !(next < n && expr.charAt(next) == '(')) {
          names.add(word);
        }
      } else {
        i++;
      }
    }
    return names;
  }

  private static int skipSpace(String s, int i) {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  /** The index after the string literal that starts at {@code i}. */
  private static int skipString(String s, int i) {
    char quote = s.charAt(i);
    i++;
    while (i < s.length() && s.charAt(i) != quote) {
      i += s.charAt(i) == '\\' && quote != '`' ? 2 : 1;
    }
    return i + 1;
  }

  /** The index after the block that opens at {@code i}, strings inside it skipped. */
  private static int skipBlock(String s, int i, char open, char close) {
    int depth = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '"' || c == '\'' || c == '`') {
        i = skipString(s, i);
        continue;
      }
      if (c == open) {
        depth++;
      } else if (c == close && --depth == 0) {
        return i + 1;
      }
      i++;
    }
    return i;
  }
}
