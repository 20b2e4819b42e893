package dev.vigil.observe.errors;

import java.util.List;
import java.util.function.Predicate;

/**
 * Which frames are the application's own ("in-app"): a Java class or Python module not under an
 * excluded prefix, or under an included one (included prefixes win). Prefixes match whole name
 * segments as written ({@code "java."} matches {@code java.lang.Thread}, not {@code javafx}).
 */
record InApp(List<String> include, List<String> exclude) implements Predicate<String> {

  InApp {
    include = List.copyOf(include);
    exclude = List.copyOf(exclude);
  }

  @Override
  public boolean test(String module) {
    for (String p : include) {
      if (under(module, p)) {
        return true;
      }
    }
    for (String p : exclude) {
      if (under(module, p)) {
        return false;
      }
    }
    return true;
  }

  /** {@code java.lang.Thread} is under {@code java.}, and so is {@code java} itself. */
  private static boolean under(String module, String prefix) {
    return module.startsWith(prefix)
        || (prefix.endsWith(".") && module.length() == prefix.length() - 1 && prefix.startsWith(module));
  }
}
