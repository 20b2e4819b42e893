package dev.vigil.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.server.ServerTestSupport;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The OpenAPI document and the route table describe the same API. */
class OpenApiDocumentTest extends ServerTestSupport {
  private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");

  private JsonNode doc;
  private List<ApiRoutes.Route> routes;

  @BeforeEach
  void read() throws IOException {
    doc = new ObjectMapper().readTree(OpsApi.openapiDocument());
    var settings = new HttpSettings("127.0.0.1", 0, null, List.of(), 2048, 1024, Duration.ofSeconds(30));
    routes = new ApiRoutes(server.vigil(), settings, new ServerState()).table();
  }

  @Test
  void it_is_openapi_3_1() {
    assertThat(doc.get("openapi").asText()).startsWith("3.1");
    assertThat(doc.get("info").get("title").asText()).isNotBlank();
  }

  @Test
  void every_documented_operation_is_a_route_and_every_route_is_documented() {
    var documented = new TreeSet<String>();
    doc.get("paths").fields().forEachRemaining(
        path -> path.getValue().fieldNames().forEachRemaining(method -> {
          if (METHODS.contains(method)) {
            documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
          }
        }));
    var served = new TreeSet<String>();
    routes.forEach(r -> served.add(r.method().name().toUpperCase(Locale.ROOT) + " " + r.path()));

    assertThat(documented).isEqualTo(served);
  }

  @Test
  void every_reference_resolves() {
    var refs = new ArrayList<String>();
    collectRefs(doc, refs);

    assertThat(refs).isNotEmpty();
    for (String ref : refs) {
      assertThat(ref).startsWith("#/");
      assertThat(doc.at(ref.substring(1)).isMissingNode()).as(ref).isFalse();
    }
  }

  @Test
  void every_operation_documents_auth_host_header_and_internal_errors_and_every_body_documents_400_and_415() {
    doc.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
      String name = op.getKey() + " " + path.getKey();
      JsonNode responses = op.getValue().get("responses");
      assertThat(responses.has("401")).as(name).isTrue();
      assertThat(responses.has("403")).as(name).isTrue();
      assertThat(responses.has("431")).as(name).isTrue();
      assertThat(responses.has("500")).as(name).isTrue();
      if (op.getValue().has("requestBody")) {
        assertThat(responses.has("400")).as(name).isTrue();
        assertThat(responses.has("415")).as(name).isTrue();
      }
    }));
  }

  @Test
  void every_rate_limited_operation_documents_429_with_the_ratelimit_fields_and_no_other_does() {
    doc.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
      String name = op.getKey() + " " + path.getKey();
      boolean limited = RouteClass.of(io.javalin.http.HandlerType.findOrCreate(op.getKey().toUpperCase(Locale.ROOT)), path.getKey()).isPresent();
      JsonNode tooMany = op.getValue().get("responses").get("429");
      assertThat(tooMany != null).as(name).isEqualTo(limited);
      if (limited) {
        JsonNode headers = doc.at(tooMany.get("$ref").asText().substring(1)).get("headers");
        assertThat(headers.has("Retry-After") && headers.has("RateLimit-Policy") && headers.has("RateLimit")).as(name).isTrue();
      }
    }));
  }

  private static void collectRefs(JsonNode node, List<String> out) {
    if (node.isObject()) {
      node.fields().forEachRemaining(e -> {
        if (e.getKey().equals("$ref")) {
          out.add(e.getValue().asText());
        } else {
          collectRefs(e.getValue(), out);
        }
      });
    } else if (node.isArray()) {
      node.forEach(n -> collectRefs(n, out));
    }
  }
}
