package dev.vigil.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The secrets of issue 11 that used to reach stored errors and logs: each class with the shapes
 * that must be masked and the near misses that must stay as they are. All keys are made up.
 */
class RedactorSecretsTest {
  private final Redactor redactor = Redactor.defaults();

  private String redact(String text) {
    return redactor.redact(text);
  }

  @Nested
  class JsonWebTokens {
    @ParameterizedTest
    @CsvSource(
        delimiter = '|',
        value = {
          "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N | jwt [token]",
          "unsigned eyJhbGciOiJub25lIn0.eyJzdWIiOiJhdmEifQ. accepted | unsigned [token] accepted",
          "id_token=eyJhbGciOiJub25lIn0.eyJzdWIiOiJhdmEifQ. | id_token=[redacted]",
          "(eyJhbGciOiJub25lIn0.eyJzdWIiOiJhdmEifQ.) | ([token])",
          "jwe eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..M2RlZmF1bHQ.Y2lwaGVydGV4dA.dGFn end | jwe [token] end"
        })
    void are_masked(String text, String expected) {
      assertThat(redact(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "vigil 2.14.3 on java 21.0.5",
          "release 2026.11.24.",
          "dev.vigil.observe.Redactor.redact",
          "header only eyJhbGciOiJIUzI1NiJ9",
          "eyJhbGciOiJIUzI1NiJ9.short.x"
        })
    void near_misses_stay(String text) {
      assertThat(redact(text)).isEqualTo(text);
    }
  }

  @Nested
  class AwsCredentials {
    @ParameterizedTest
    @CsvSource(
        delimiter = '|',
        value = {
          "key AKIAIOSFODNN7EXAMPLE used | key [token] used",
          "temporary ASIAY34FZKBOKMUTVV7A expired | temporary [token] expired",
          "X-Amz-Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/s3 | X-Amz-Credential=[token]/20260101/us-east-1/s3",
          "aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY | aws_secret_access_key=[redacted]",
          "AWS_SECRET_ACCESS_KEY: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY | AWS_SECRET_ACCESS_KEY: [token]",
          "SecretAccessKey wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY rotated | SecretAccessKey [token] rotated"
        })
    void are_masked(String text, String expected) {
      assertThat(redact(text)).isEqualTo(expected);
    }

    @Test
    void a_quoted_secret_key_after_an_arrow_is_masked() {
      assertThat(redact("aws_secret_key => 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'"))
          .isEqualTo("aws_secret_key => '[token]'");
    }

    @Test
    void a_secret_key_in_json_is_masked_by_its_field_name() {
      assertThat(redact("{\"AccessKeyId\":\"AKIAIOSFODNN7EXAMPLE\",\"SecretAccessKey\":\"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\"}"))
          .isEqualTo("{\"AccessKeyId\":\"[token]\",\"SecretAccessKey\":\"[redacted]\"}");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "commit 9fceb02d0ae598e95dc970b74767f19372d61af8 deployed",
          "digest wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY not after a key name",
          "AKIA is a prefix",
          "AKIAIOSFODNN7EXAMPLE2 is too long",
          "secret_key_id: 42"
        })
    void near_misses_stay(String text) {
      assertThat(redact(text)).isEqualTo(text);
    }
  }

  @Nested
  class PrivateKeys {
    static final String BODY =
        "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj\n"
            + "MzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu\n"
            + "NMoSfm76oqFvAp8Gy0iz5sxjZmSnXyCdPEovGhLa0VzMaQ8s+CLOyS56YyCFGeJZ\n";

    @ParameterizedTest
    @ValueSource(strings = {"", "RSA ", "EC ", "DSA ", "OPENSSH ", "ENCRYPTED "})
    void a_whole_block_is_masked_over_its_lines(String kind) {
      String text =
          "cannot sign: key\n-----BEGIN " + kind + "PRIVATE KEY-----\n" + BODY + "-----END " + kind
              + "PRIVATE KEY-----\n\tat dev.vigil.demo.Signer.sign(Signer.java:31)";

      assertThat(redact(text)).isEqualTo("cannot sign: key\n[private key]\n\tat dev.vigil.demo.Signer.sign(Signer.java:31)");
    }

    @Test
    void an_encrypted_pem_with_headers_a_pgp_block_and_escaped_line_breaks_are_masked() {
      String rsa =
          "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,3F17F5316E2BAC89\n\n"
              + BODY + "-----END RSA PRIVATE KEY-----";
      String pgp = "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n" + BODY + "=twTO\n-----END PGP PRIVATE KEY BLOCK-----";
      String escaped =
          "stored {\"error\":\"bad key -----BEGIN PRIVATE KEY-----\\n" + BODY.replace("\n", "\\n") + "-----END PRIVATE KEY-----\\n\"}";

      assertThat(redact("key " + rsa + " refused")).isEqualTo("key [private key] refused");
      assertThat(redact(pgp)).isEqualTo("[private key]");
      assertThat(redact(escaped)).isEqualTo("stored {\"error\":\"bad key [private key]\\n\"}");
    }

    @Test
    void a_block_cut_short_loses_every_line_that_looks_like_its_body() {
      String text = "payload refused: -----BEGIN PRIVATE KEY-----\n" + BODY + "MzEfYyjiWA4R4/M2bS1G… (truncated)";

      assertThat(redact(text)).isEqualTo("payload refused: [private key]… (truncated)");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo\n-----END PUBLIC KEY-----",
          "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ\n-----END CERTIFICATE-----",
          "could not load the private key from /etc/vigil/signing.pem"
        })
    void public_keys_certificates_and_prose_stay(String text) {
      assertThat(redact(text)).isEqualTo(text);
    }
  }

  @Nested
  class Assignments {
    @ParameterizedTest
    @CsvSource(
        delimiter = '|',
        value = {
          "login pwd=hunter2 refused | login pwd=[redacted] refused",
          "passwd: s3cr3t! | passwd: [redacted]",
          "PASS=letmein0 | PASS=[redacted]",
          "DB_PASSWORD=correct-horse | DB_PASSWORD=[redacted]",
          "spring.datasource.password = hunter2 | spring.datasource.password = [redacted]",
          "x-api-key: 0f3a9c2e77d14b6f | x-api-key: [redacted]",
          "X-Auth-Token: abc123 | X-Auth-Token: [redacted]",
          "dbPassword=\"hunter 2\" ok | dbPassword=\"[redacted]\" ok",
          "private_key: notAPemButSecret | private_key: [redacted]",
          "credentials=user:pw | credentials=[redacted]",
          "GET /cb?code=1&access_token=ya2 HTTP | GET /cb?code=1&access_token=[redacted] HTTP",
          "passphrase:hunter2 | passphrase:[redacted]"
        })
    void are_masked(String text, String expected) {
      assertThat(redact(text)).isEqualTo(expected);
    }

    @Test
    void a_quoted_value_is_masked_inside_its_quotes() {
      assertThat(redact("clientSecret: 'two words' ok")).isEqualTo("clientSecret: '[redacted]' ok");
      assertThat(redact("password => 'hunter 2'")).isEqualTo("password => '[redacted]'");
    }

    @Test
    void escaped_json_and_json_fields_named_like_credentials_are_masked() {
      assertThat(redact("{\"error\":\"bad {\\\"pwd\\\":\\\"hunter2\\\"}\"}"))
          .isEqualTo("{\"error\":\"bad {\\\"pwd\\\":\\\"[redacted]\\\"}\"}");
      assertThat(redact("retry with {\"db_password\": \"hunter2\", \"user\": \"app\"}"))
          .isEqualTo("retry with {\"db_password\": \"[redacted]\", \"user\": \"app\"}");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "password policy: at least 12 characters",
          "the password was rejected",
          "password_policy: strict",
          "max_tokens=512",
          "tokens: 42",
          "token_count=3",
          "secret_name: vigil-db",
          "bypass=1",
          "compass: north",
          "password=",
          "api_key_id: 42"
        })
    void near_misses_stay(String text) {
      assertThat(redact(text)).isEqualTo(text);
    }
  }

  @Nested
  class UrlPasswords {
    @ParameterizedTest
    @CsvSource(
        delimiter = '|',
        value = {
          "cannot reach postgres://vigil:hunter2@db.internal:5432/jobs | cannot reach postgres://vigil:[redacted]@db.internal:5432/jobs",
          "jdbc:postgresql://app:s3cr3t@localhost/vigil | jdbc:postgresql://app:[redacted]@localhost/vigil",
          "redis://:p4ss@cache:6379 | redis://:[redacted]@cache:6379",
          "mongodb+srv://ava:p@ss@cluster0.example.net/db | mongodb+srv://ava:[redacted]@cluster0.example.net/db",
          "https://x-access-token:tok3n@github.com/org/repo.git | https://x-access-token:[redacted]@github.com/org/repo.git"
        })
    void mask_the_password_and_keep_scheme_user_and_host(String text, String expected) {
      assertThat(redact(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "GET https://api.example.com:8443/v1/jobs?limit=10",
          "http://localhost:8080/a:b@c",
          "listening on http://[::1]:8080",
          "see https://example.com/users/@ava"
        })
    void urls_without_a_password_stay(String text) {
      assertThat(redact(text)).isEqualTo(text);
    }
  }

  @Nested
  class AuthorizationHeaders {
    @ParameterizedTest
    @CsvSource(
        delimiter = '|',
        value = {
          "Authorization: Token 9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b | Authorization: Token [token]",
          "authorization=Token abcdef0123 | authorization=[redacted]",
          "Proxy-Authorization: ApiKey c2VjcmV0LWtleQ | Proxy-Authorization: ApiKey [token]",
          "Authorization: 0123456789abcdef | Authorization: [token]",
          "authorization=Bearer abcdef0123456789 | authorization=[redacted]",
          "Authorization: Bearer abcdef0123456789 | Authorization: Bearer [token]",
          "Authorization: Basic dXNlcjpwYXNzd29yZA== | Authorization: Basic [token]"
        })
    void are_masked(String text, String expected) {
      assertThat(redact(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Authorization: required", "authorization failed for lane cognition", "token expired"})
    void near_misses_stay(String text) {
      assertThat(redact(text)).isEqualTo(text);
    }
  }

  @Nested
  class VendorTokens {
    @ParameterizedTest
    @CsvSource(
        delimiter = '|',
        value = {
          "post to https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX failed"
              + " | post to https://hooks.slack.com/services/[token] failed",
          "https://discord.com/api/webhooks/123456789012345678/abcDEF_ghiJKL-mnoPQRstuVWXyz0123456789"
              + " | https://discord.com/api/webhooks/[token]",
          "google ya29.a0AfH6SMBx3kLmN0pQrStUvWxYz1234567890 | google [token]",
          "stripe whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw | stripe [token]",
          "npm npm_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8 | npm [token]",
          "hf hf_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789 | hf [token]"
        })
    void are_masked(String text, String expected) {
      assertThat(redact(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "npm_config_cache=/tmp/npm",
          "npm_package_version 1.2.3",
          "hf_hub_download failed",
          "hf_transfer enabled",
          "whsec_ prefix",
          "ya29.1 is not a token",
          "see https://hooks.slack.com/services/",
          "https://api.slack.com/services/messages"
        })
    void near_misses_stay(String text) {
      assertThat(redact(text)).isEqualTo(text);
    }
  }

  @Nested
  class ConfiguredSecrets {
    private final Redactor configured =
        Redactor.builder().secret("vgl_4f9a2c71e0b3").secret("pg pass\"word").secret("short").secret(null).build();

    @Test
    void are_masked_wherever_they_appear_whatever_their_shape() {
      assertThat(configured.redact("token vgl_4f9a2c71e0b3 refused")).isEqualTo("token [secret] refused");
      assertThat(configured.redact("xvgl_4f9a2c71e0b3x")).isEqualTo("x[secret]x");
      assertThat(configured.redact("connect with pg pass\"word failed")).isEqualTo("connect with [secret] failed");
    }

    @Test
    void are_masked_inside_json_strings_and_urls() {
      assertThat(configured.redact("{\"note\":\"pw is pg pass\\\"word\"}")).isEqualTo("{\"note\":\"pw is [secret]\"}");
      assertThat(configured.redact("GET /x?k=pg+pass%22word")).isEqualTo("GET /x?k=[secret]");
    }

    @Test
    void values_shorter_than_eight_characters_are_not_literal_masked() {
      assertThat(configured.redact("a short answer")).isEqualTo("a short answer");
    }

    @Test
    void run_before_the_detectors_so_no_part_of_a_secret_survives() {
      Redactor r = Redactor.builder().secrets(List.of("+44 20 7946 0958-x")).build();

      assertThat(r.redact("key +44 20 7946 0958-x")).isEqualTo("key [secret]");
    }
  }

  @Nested
  class JsonFieldPatterns {
    @Test
    void fields_named_like_credentials_are_masked_in_a_json_document() {
      String json =
          "{\"pwd\":\"a\",\"private_key\":\"b\",\"Credentials\":{\"user\":\"c\"},\"X-API-Key\":\"d\","
              + "\"stripe_secret_live\":\"e\",\"openai_api_key\":\"f\",\"accessToken\":\"g\",\"max_tokens\":512}";

      assertThat(redact(json))
          .isEqualTo(
              "{\"pwd\":\"[redacted]\",\"private_key\":\"[redacted]\",\"Credentials\":\"[redacted]\",\"X-API-Key\":\"[redacted]\","
                  + "\"stripe_secret_live\":\"[redacted]\",\"openai_api_key\":\"[redacted]\",\"accessToken\":\"[redacted]\","
                  + "\"max_tokens\":512}");
    }

    @Test
    void fields_named_like_credentials_are_masked_inside_text_and_as_pairs() {
      assertThat(redact("bad config {\"MY_SECRET_VALUE\": \"x1\"} and service_api_key=k2"))
          .isEqualTo("bad config {\"MY_SECRET_VALUE\": \"[redacted]\"} and service_api_key=[redacted]");
    }

    @Test
    void escaped_json_inside_text_keeps_its_escaping_around_the_mask() {
      assertThat(redact("log {\\\"content\\\":\\\"hi\\\",\\\"api_key_v2\\\":7,\\\"n\\\":1} end"))
          .isEqualTo("log {\\\"content\\\":\\\"[redacted]\\\",\\\"api_key_v2\\\":\\\"[redacted]\\\",\\\"n\\\":1} end");
    }

    @Test
    void a_configured_name_may_hold_a_wildcard() {
      Redactor custom = Redactor.builder().jsonField("*Diagnosis*").build();

      assertThat(custom.redact("{\"primary_diagnosis\":\"flu\",\"day\":3}"))
          .isEqualTo("{\"primary_diagnosis\":\"[redacted]\",\"day\":3}");
      assertThatThrownBy(() -> Redactor.builder().jsonField("**")).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "{\"model\":\"sim-chat\",\"max_tokens\":512,\"token_count\":3}",
          "{\"keyboard\":\"qwerty\",\"passes\":2,\"tokenizer\":\"bpe\"}"
        })
    void near_misses_stay(String text) {
      assertThat(redact(text)).isEqualTo(text);
    }
  }

  @Test
  void every_new_detector_can_be_turned_off_by_name() {
    assertThat(Redactor.DETECTORS)
        .containsSubsequence("private_key", "url_password", "jwt", "aws", "api_key", "webhook", "bearer", "assignment", "email");
    Redactor noUrl = Redactor.builder().disable("url_password").build();

    assertThat(noUrl.redact("postgres://vigil:hunter2@db/jobs")).isEqualTo("postgres://vigil:hunter2@db/jobs");
  }
}
