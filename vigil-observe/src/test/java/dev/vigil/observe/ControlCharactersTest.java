package dev.vigil.observe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ControlCharactersTest {

  @ParameterizedTest(name = "U+{0} reads {1}")
  @CsvSource({
    "000a, \\n", "000d, \\r", "0009, \\t", "001b, \\u001b", "0007, \\u0007", "0000, \\u0000",
    "001f, \\u001f", "007f, \\u007f", "0085, \\u0085", "009b, \\u009b", "2028, \\u2028",
    "2029, \\u2029", "202e, \\u202e", "2066, \\u2066", "2069, \\u2069"
  })
  void each_control_character_reads_as_an_escape(String hex, String shown) {
    char c = (char) Integer.parseInt(hex, 16);

    assertThat(ControlCharacters.isEscaped(c)).isTrue();
    assertThat(ControlCharacters.escape("a" + c + "b")).isEqualTo("a" + shown + "b");
  }

  @Test
  void terminal_sequences_lose_their_escape_and_bell() {
    assertThat(ControlCharacters.escape("w-1\u001b[2J\u001b]0;title\u0007"))
        .isEqualTo("w-1\\u001b[2J\\u001b]0;title\\u0007");
  }

  @Test
  void printable_text_is_left_alone_and_not_copied() {
    String text = "café – 日本語 emoji 🙂 back\\slash \u00a0 \u200f";

    assertThat(ControlCharacters.escape(text)).isSameAs(text);
    assertThat(ControlCharacters.escape(null)).isNull();
    assertThat(ControlCharacters.escape("")).isEmpty();
  }

  @Test
  void escaping_twice_changes_nothing_more() {
    String once = ControlCharacters.escape("a\nb\u001b\u009bc");

    assertThat(ControlCharacters.escape(once)).isSameAs(once);
  }
}
