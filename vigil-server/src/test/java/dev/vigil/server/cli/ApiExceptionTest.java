package dev.vigil.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.Test;

class ApiExceptionTest {
  private final JsonMapper json = JsonMapper.builder().build();

  @Test
  void a_validation_problem_reads_as_one_line_with_every_failing_field() throws Exception {
    var problem =
        json.readTree(
            """
            {"type":"about:blank","title":"Bad Request","status":400,"detail":"invalid job",
             "errors":[{"field":"lane","message":"unknown lane 'nope'"},
                       {"field":"max_attempts","message":"must be between 1 and 100"}]}
            """);

    var e = ApiException.from(400, problem, problem.toString());

    assertThat(e.getMessage())
        .isEqualTo(
            "invalid job (lane: unknown lane 'nope'; max_attempts: must be between 1 and 100)");
    assertThat(e.exitCode()).isEqualTo(CliException.FAILURE);
  }

  @Test
  void a_field_the_detail_already_describes_is_not_repeated() throws Exception {
    var problem =
        json.readTree(
            """
            {"status":400,"detail":"lane is not a configured lane",
             "errors":[{"field":"lane","message":"is not a configured lane"}]}
            """);

    assertThat(ApiException.from(400, problem, "").getMessage())
        .isEqualTo("lane is not a configured lane");
  }

  @Test
  void not_found_exits_with_3() throws Exception {
    var problem =
        json.readTree("{\"title\":\"Not Found\",\"status\":404,\"detail\":\"no job 'x'\"}");

    var e = ApiException.from(404, problem, problem.toString());

    assertThat(e.getMessage()).isEqualTo("no job 'x'");
    assertThat(e.exitCode()).isEqualTo(CliException.NOT_FOUND);
  }

  @Test
  void an_answer_that_is_not_json_is_shown_by_its_status_and_first_line() {
    var e = ApiException.from(502, null, "<html>Bad gateway</html>\n<body>…</body>");

    assertThat(e.getMessage()).isEqualTo("server answered 502: <html>Bad gateway</html>");
  }
}
