package dev.vigil.carbon;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The shipped table of model sizes ({@code model-sizes.csv}): a model name is matched against each
 * row's pattern, followed by at most one dated or version suffix, and the first match wins.
 */
final class ModelSizes {

  /** One known model family. */
  record ModelSize(
      String pattern, double totalB, double activeB, boolean disclosed, String source) {}

  /**
   * Suffixes providers add to a base name: {@code -2024-07-18}, {@code -20241022}, {@code
   * @20241022}, {@code -2407}, {@code -002}, {@code -latest}.
   */
  static final String VERSION_SUFFIX =
      "(?:[-@]\\d{4}-\\d{2}-\\d{2}|[-@]\\d{8}|-\\d{4}|-\\d{3}|-latest)?";

  private static final ModelSizes SHIPPED = load();

  private record Row(Pattern pattern, ModelSize size) {}

  private final List<Row> rows;

  private ModelSizes(List<Row> rows) {
    this.rows = List.copyOf(rows);
  }

  static ModelSizes shipped() {
    return SHIPPED;
  }

  private static ModelSizes load() {
    List<Row> rows = new ArrayList<>();
    for (String[] f : CarbonTables.rows("model-sizes.csv", 5)) {
      ModelSize size =
          new ModelSize(
              f[0], Double.parseDouble(f[1]), Double.parseDouble(f[2]), "yes".equals(f[3]), f[4]);
      Pattern pattern =
          Pattern.compile("(?:" + f[0] + ")" + VERSION_SUFFIX, Pattern.CASE_INSENSITIVE);
      rows.add(new Row(pattern, size));
    }
    return new ModelSizes(rows);
  }

  /** The size of the first row whose pattern matches the whole (trimmed) name, if any. */
  Optional<ModelSize> lookup(String model) {
    if (model == null) {
      return Optional.empty();
    }
    String name = model.strip();
    for (Row row : rows) {
      if (row.pattern().matcher(name).matches()) {
        return Optional.of(row.size());
      }
    }
    return Optional.empty();
  }

  int size() {
    return rows.size();
  }
}
