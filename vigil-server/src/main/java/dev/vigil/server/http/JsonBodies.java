package dev.vigil.server.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.InvalidRequestException;
import dev.vigil.InvalidRequestException.FieldError;
import dev.vigil.internal.JsonText;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

/**
 * Reads request bodies, refusing before any parsing: a content type other than {@code
 * application/json} (415), a declared {@code Content-Length} over the cap (413, nothing kept), a
 * body that turns out longer than the cap while it is read, for instance a chunked one (413,
 * nothing kept past the cap). Then parses it strictly (400 with the line and column, never the
 * content), and refuses with 400, naming each field, what parses but could not be stored or
 * written back as it came ({@link JsonText}: text with an unpaired UTF-16 surrogate such as
 * <code>"&#92;ud800"</code>, a number beyond a 64-bit float such as {@code 1e999999}). Every route reads
 * its body here, so no handler ever sees such a value: payloads, results, errors, tags and keys
 * alike.
 *
 * <p>Design note: answering 413 and closing while the client is still sending makes the TCP
 * stack reset the connection, and the client often loses the answer with it. So the rest of a
 * refused body is read and thrown away, up to {@link #DISCARD_LIMIT} bytes (the "lingering close"
 * of nginx and Jetty); a body declared larger than that limit is answered at once, with {@code
 * Connection: close}.
 */
final class JsonBodies {
  /** The most bytes of a refused body read and discarded so the client hears the 413. */
  static final long DISCARD_LIMIT = 16L << 20;

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
      if (declared > DISCARD_LIMIT) {
        ctx.header("Connection", "close");
      } else {
        discard(ctx, 0);
      }
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
      List<FieldError> unstorable = JsonText.problems(node, "");
      if (!unstorable.isEmpty()) {
        throw new InvalidRequestException(unstorable);
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
    try {
      InputStream in = ctx.req().getInputStream();
      int n;
      while ((n = in.read(buffer)) != -1) {
        if (out.size() + (long) n > maxBytes) {
          discard(ctx, out.size() + (long) n);
          throw tooLarge();
        }
        out.write(buffer, 0, n);
      }
    } catch (IOException e) {
      throw malformed("the body could not be read");
    }
    return out.toByteArray();
  }

  /** Reads and drops the rest of a refused body, up to the discard limit; gives up quietly. */
  private static void discard(Context ctx, long alreadyRead) {
    byte[] scratch = new byte[8192];
    long left = DISCARD_LIMIT - alreadyRead;
    try {
      InputStream in = ctx.req().getInputStream();
      int n;
      while (left > 0 && (n = in.read(scratch)) != -1) {
        left -= n;
      }
      if (left <= 0) {
        ctx.header("Connection", "close");
      }
    } catch (IOException e) {
      ctx.header("Connection", "close");
    }
  }

  private ApiProblem tooLarge() {
    return Problem.tooLarge("the request body is larger than " + maxBytes + " bytes", List.of()).toException();
  }

  private static ApiProblem malformed(String detail) {
    return Problem.of(400, "malformed-json", "Malformed JSON", detail).toException();
  }
}
