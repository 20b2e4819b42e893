package dev.vigil.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RedactorTest {
  private final Redactor redactor = Redactor.defaults();

  private String redact(String text) {
    return redactor.redact(text);
  }

  @Nested
  class EmailAddresses {
    @ParameterizedTest
    @CsvSource(
        delimiter = '|',
        value = {
          "mail ava@example.com now | mail [email] now",
          "<first.last+tag@mail.example.co.uk> | <[email]>",
          "a@b.io,c_d@e-f.org | [email],[email]",
          "UPPER.Case@Example.COM. | [email]."
        })
    void are_masked(String text, String expected) {
      assertThat(redact(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"user@localhost", "@Override", "ping @ava please", "a @ b.com", "name@host"})
    void near_misses_stay(String text) {
      assertThat(redact(text)).isEqualTo(text);
    }
  }

  @Nested
  class PhoneNumbers {
    @ParameterizedTest
    @CsvSource(
        delimiter = '|',
        value = {
          "call +1 415 555 0134 now | call [phone] now",
          "+44 20 7946 0958 | [phone]",
          "+14155550134 | [phone]",
          "+49 (30) 1234-5678 | [phone]",
          "tel 415-555-0134. | tel [phone].",
          "(415) 555-0134 | [phone]",
          "415.555.0134 | [phone]",
          "020 7946 0958 | [phone]"
        })
    void are_masked(String text, String expected) {
      assertThat(redact(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "2026-11-24",
          "2026-11-24T09:18:40.123Z",
          "09:18:40",
          "order 4155550134",
          "ORD-2026-001234",
          "took 1500 ms after 3 tries",
          "+1 2",
          "id 1764000000123",
          "PT30S",
          "v1.2.3"
        })
    void near_misses_stay(String text) {
      assertThat(redact(text)).isEqualTo(text);
    }
  }

  @Nested
  class CardNumbers {
    @ParameterizedTest
    @CsvSource(
        delimiter = '|',
        value = {
          "card 4111111111111111 used | card [card] used",
          "4111 1111 1111 1111 | [card]",
          "5500-0000-0000-0004 | [card]",
          "amex 378282246310005 | amex [card]",
          "6011000990139424 | [card]"
        })
    void that_pass_luhn_are_masked(String text, String expected) {
      assertThat(redact(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "4111111111111112",
          "ref 4111 1111 1111 1112",
          "id 41111111111111110000000",
          "epoch 1764000000000000",
          "order 9111111111111111"
        })
    void that_fail_luhn_or_look_otherwise_stay(String text) {
      assertThat(redact(text)).isEqualTo(text);
    }
  }

  @Nested
  class IpAddresses {
    @ParameterizedTest
    @CsvSource(
        delimiter = '|',
        value = {
          "from 203.0.113.7 | from [ip]",
          "10.0.0.12:8080 | [ip]:8080",
          "x-forwarded-for: 192.168.1.20, 198.51.100.3 | x-forwarded-for: [ip], [ip]",
          "client 2001:db8::8a2e:370:7334 | client [ip]",
          "fe80::1ff:fe23:4567:890a%eth0 | [ip]%eth0",
          "[2001:db8:85a3:0:0:8a2e:370:7334]:443 | [[ip]]:443",
          "::ffff:192.0.2.128 | [ip]",
          "1.2.3.4 | [ip]"
        })
    void are_masked(String text, String expected) {
      assertThat(redact(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "listening on http://127.0.0.1:8080",
          "bind 0.0.0.0",
          "loopback ::1 and ::",
          "version 1.2.3",
          "vigil v1.2.3.4",
          "1.2.3.4.5",
          "999.1.1.1",
          "at 09:18:40",
          "mac 00:1A:2B:3C:4D:5E",
          "std::string and Foo::bar",
          "at dev.vigil.Workers.run(Workers.java:120)"
        })
    void near_misses_stay(String text) {
      assertThat(redact(text)).isEqualTo(text);
    }
  }

  @Nested
  class TokensAndKeys {
    @ParameterizedTest
    @CsvSource(
        delimiter = '|',
        value = {
          "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig | Authorization: Bearer [token]",
          "bearer abcdef0123456789 | bearer [token]",
          "Basic dXNlcjpwYXNzd29yZA== | Basic [token]",
          "key sk-proj-4fT9aQ1zXb7LmN2pQ8rS | key [token]",
          "sk-ant-api03-AbCdEf0123456789xyz | [token]",
          "stripe sk_live_51HxYzAbCdEf0123456789 | stripe [token]",
          "AKIAIOSFODNN7EXAMPLE | [token]",
          "ghp_1234567890abcdefghijABCDEFGHIJ123456 | [token]",
          "xoxb-123456789012-abcdefABCDEF | [token]",
          "AIzaSyA1234567890abcdefghijklmnopqrstuv | [token]",
          "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N | jwt [token]"
        })
    void are_masked(String text, String expected) {
      assertThat(redact(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "sk-learn-is-a-python-library",
          "the bearer of bad news",
          "basic auth is off",
          "AKIA is a prefix",
          "ghp_short",
          "task-abc-123"
        })
    void near_misses_stay(String text) {
      assertThat(redact(text)).isEqualTo(text);
    }
  }

  @Nested
  class JsonFields {
    @Test
    void a_json_document_has_its_sensitive_fields_masked_whatever_they_hold() {
      String json =
          "{\"user\":{\"email\":\"ava@example.com\",\"password\":\"hunter2\"},"
              + "\"messages\":[{\"role\":\"user\",\"content\":\"my number is 415-555-0134\"}],"
              + "\"model\":\"sim-chat\",\"tokens\":42,\"note\":\"call +1 415 555 0134\",\"prompt\":null}";

      assertThat(redact(json))
          .isEqualTo(
              "{\"user\":{\"email\":\"[redacted]\",\"password\":\"[redacted]\"},\"messages\":\"[redacted]\","
                  + "\"model\":\"sim-chat\",\"tokens\":42,\"note\":\"call [phone]\",\"prompt\":null}");
    }

    @Test
    void a_json_document_with_nothing_sensitive_keeps_its_exact_text() {
      String json = "{ \"model\": \"sim-chat\",  \"tokens\": 42 }";

      assertThat(redact(json)).isSameAs(json);
    }

    @Test
    void json_inside_other_text_and_escaped_json_are_masked_field_by_field() {
      assertThat(redact("bad body {\"Password\" : \"p@ss w0rd\", \"n\": 1} from client"))
          .isEqualTo("bad body {\"Password\" : \"[redacted]\", \"n\": 1} from client");
      assertThat(redact("{\"error\":\"payload {\\\"content\\\":\\\"hi there\\\",\\\"n\\\":2} refused\"}"))
          .isEqualTo("{\"error\":\"payload {\\\"content\\\":\\\"[redacted]\\\",\\\"n\\\":2} refused\"}");
      assertThat(redact("POST /login?user=ava&password=hunter2 failed"))
          .isEqualTo("POST /login?user=ava&password=[redacted] failed");
    }

    @Test
    void configured_field_names_are_masked_too() {
      Redactor custom = Redactor.builder().jsonField("Diagnosis").build();

      assertThat(custom.redact("{\"diagnosis\":\"flu\",\"day\":3}")).isEqualTo("{\"diagnosis\":\"[redacted]\",\"day\":3}");
      assertThat(custom.jsonFields()).contains("diagnosis", "password", "content", "message");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"model\":\"x\",\"messageCount\":3}", "message: connection refused", "[worker-1] started"})
    void near_misses_stay(String text) {
      assertThat(redact(text)).isEqualTo(text);
    }
  }

  @Nested
  class ConfiguredPatterns {
    @Test
    void a_pattern_masks_its_matches_or_only_its_first_group() {
      Redactor custom = Redactor.builder().pattern("ORD-\\d{8}").pattern("customer=(\\w+)").build();

      assertThat(custom.redact("order ORD-20261124 of customer=ava42 shipped"))
          .isEqualTo("order [redacted] of customer=[redacted] shipped");
    }

    @Test
    void invalid_or_empty_matching_patterns_are_refused() {
      assertThatThrownBy(() -> Redactor.builder().pattern("(")).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> Redactor.builder().pattern("x*")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_detector_can_be_turned_off_by_name_and_unknown_names_are_refused() {
      Redactor noIp = Redactor.builder().disable("ipv4").build();

      assertThat(noIp.redact("from 203.0.113.7 by ava@example.com")).isEqualTo("from 203.0.113.7 by [email]");
      assertThatThrownBy(() -> Redactor.builder().disable("ssn"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("email");
    }
  }

  @Test
  void text_without_anything_sensitive_is_returned_as_it_is() {
    String text = "attempt 2 of generate_reply failed in 212 ms, retry at 2026-11-24T09:18:40.123Z";

    assertThat(redact(text)).isSameAs(text);
    assertThat(redact(null)).isNull();
    assertThat(redact("")).isEmpty();
  }

  @Test
  void everything_in_one_stack_trace_is_masked() {
    String stack =
        "java.lang.IllegalStateException: user ava@example.com (card 4111 1111 1111 1111) from 203.0.113.7\n"
            + "\tat dev.vigil.demo.Handler.run(Handler.java:42)\n"
            + "Caused by: java.io.IOException: token sk-proj-4fT9aQ1zXb7LmN2pQ8rS rejected for +44 20 7946 0958\n";

    assertThat(redact(stack))
        .isEqualTo(
            "java.lang.IllegalStateException: user [email] (card [card]) from [ip]\n"
                + "\tat dev.vigil.demo.Handler.run(Handler.java:42)\n"
                + "Caused by: java.io.IOException: token [token] rejected for [phone]\n");
  }
}
