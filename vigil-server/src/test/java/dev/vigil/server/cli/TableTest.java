package dev.vigil.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TableTest {

  @Test
  void columns_are_as_wide_as_their_widest_cell_and_numbers_align_right() {
    String text =
        Table.of("LANE", "#READY", "PAUSED")
            .row("cognition", 3, "no")
            .row("background", 1200, "yes")
            .toString();

    assertThat(text.lines())
        .containsExactly(
            "LANE        READY  PAUSED", "cognition       3  no", "background   1200  yes");
  }

  @Test
  void null_cells_print_as_a_dash() {
    assertThat(Table.of("A", "B").row(null, "x").toString().lines()).contains("-  x");
  }

  @Test
  void control_characters_in_a_cell_are_shown_escaped_and_the_columns_stay_aligned() {
    String text =
        Table.of("WORKER", "ERROR")
            .row("w\u001b[2J", "boom\u001b]0;title\u0007")
            .row("plain", "x\ny\tz\u009b")
            .toString();

    assertThat(text).doesNotContain("\u001b", "\u0007", "\u009b", "\t");
    assertThat(text.lines())
        .containsExactly(
            "WORKER      ERROR",
            "w\\u001b[2J  boom\\u001b]0;title\\u0007",
            "plain       x\\ny\\tz\\u009b");
  }

  @Test
  void a_row_with_the_wrong_number_of_cells_is_refused() {
    assertThatThrownBy(() -> Table.of("A", "B").row("only one"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
