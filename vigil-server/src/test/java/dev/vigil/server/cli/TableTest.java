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
  void a_row_with_the_wrong_number_of_cells_is_refused() {
    assertThatThrownBy(() -> Table.of("A", "B").row("only one"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
