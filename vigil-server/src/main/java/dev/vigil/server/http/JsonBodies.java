package dev.vigil.server.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

/**
 * Reads request bodies, refusing before any parsing: a content type other than {@code
 * application/json} (415), a declared {@code Content-Length} over the cap (413, nothing read), a
 * body that turns out longer than the cap while it is read, for instance a chunked one (413, read
 * stops at the cap). Then parses it strictly (400 with the line and column, never the content).
 */
final class JsonBodies {
  private final long maxBytes;

  JsonBodies(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** The body as a JSON object. */
  ObjectNode object(Context ctx) {
    JsonNode node = read(ctx);
    if (!(node instanceof ObjectNode object)) {
      throw Problem.of(400, "invalid-request", "Invalid request", "the body must be a JSON object").toException();
    }
    return object;
  }

  JsonNode read(Context ctx) {
    requireJson(ctx.header("Content-Type"));
    long declared = ctx.req().getContentLengthLong();
    if (declared > maxBytes) {
      throw tooLarge();
    }
    byte[] bytes = readCapped(ctx);
    if (bytes.length == 0) {
      throw malformed("a JSON body is required");
    }
    try {
      JsonNode node = Json.MAPPER.readTree(bytes);
      if (node == null || node.isMissingNode()) {
        throw malformed("a JSON body is required");
      }
      return node;
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
      throw malformed("the body is not valid JSON" + where);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void requireJson(String contentType) {
    String media = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!media.equals(Json.CONTENT_TYPE)) {
      throw Problem.of(
              415,
              "unsupported-media-type",
              "Unsupported media type",
              "the body must be sent as Content-Type: application/json")
          .toException();
    }
  }

  private byte[] readCapped(Context ctx) {
    var out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try (InputStream in = ctx.req().getInputStream()) {
      int n;
      while ((n = in.read(buffer)) != -1) {
        if (out.size() + (long) n > maxBytes) {
          throw tooLarge();
        }
        out.write(buffer, 0, n);
      }
    } catch (IOException e) {
      throw malformed("the body could not be read");
    }
    return out.toByteArray();
  }

  private ApiProblem tooLarge() {
    return Problem.tooLarge("the request body is larger than " + maxBytes + " bytes", List.of()).toException();
  }

  private static ApiProblem malformed(String detail) {
    return Problem.of(400, "malformed-json", "Malformed JSON", detail).toException();
  }
}
