package dev.vigil.server.http;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every route of the table falls in the class the documentation gives it. */
class RouteClassTest {
  @Test
  void gets_are_reads() {
    assertThat(RouteClass.of(GET, "/api/v1/jobs")).hasValue(RouteClass.READ);
    assertThat(RouteClass.of(GET, "/api/v1/jobs/{id}")).hasValue(RouteClass.READ);
    assertThat(RouteClass.of(GET, "/api/v1/alerts/silences")).hasValue(RouteClass.READ);
  }

  @Test
  void a_workers_claim_heartbeat_complete_and_fail_are_claims() {
    for (String path :
        new String[] {
          "/api/v1/claim", "/api/v1/jobs/{id}/heartbeat", "/api/v1/jobs/{id}/complete", "/api/v1/jobs/{id}/fail",
          "/api/v1/jobs/complete", "/api/v1/jobs/fail"
        }) {
      assertThat(RouteClass.of(POST, path)).as(path).hasValue(RouteClass.CLAIM);
    }
  }

  @Test
  void other_changes_are_writes() {
    assertThat(RouteClass.of(POST, "/api/v1/jobs")).hasValue(RouteClass.WRITE);
    assertThat(RouteClass.of(POST, "/api/v1/jobs/{id}/cancel")).hasValue(RouteClass.WRITE);
    assertThat(RouteClass.of(DELETE, "/api/v1/schedules/{name}")).hasValue(RouteClass.WRITE);
    assertThat(RouteClass.of(POST, "/api/v1/errors/{id}/resolve")).hasValue(RouteClass.WRITE);
  }

  @Test
  void health_metrics_and_the_openapi_document_have_no_class() {
    for (String path : new String[] {"/health", "/health/live", "/health/ready", "/health/detailed", "/metrics", "/api/openapi.json"}) {
      assertThat(RouteClass.of(GET, path)).as(path).isEqualTo(Optional.empty());
    }
  }

  @Test
  void every_declared_route_but_those_is_limited() {
    assertThat(ApiRoutes.declared())
        .filteredOn(r -> RouteClass.of(r.method(), r.path()).isEmpty())
        .extracting(ApiRoutes.Route::path)
        .allMatch(p -> p.startsWith("/health") || p.equals("/metrics") || p.equals("/api/openapi.json"));
  }
}
