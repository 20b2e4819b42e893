package dev.vigil.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The answers the HTTP server writes itself, before any route runs or when a request cannot be
 * parsed at all (a malformed request line or header, a path that cannot be decoded, headers over
 * the limit: 400, 414, 431), as {@code application/problem+json} like every other error, in place
 * of Jetty's HTML pages. The detail names the status only, never the request: what could not be
 * parsed may be anything.
 */
final class ProtocolErrors implements Request.Handler {
  @Override
  public boolean handle(Request request, Response response, Callback callback) throws JsonProcessingException {
    int status = response.getStatus();
    if (request.getAttribute(ErrorHandler.ERROR_EXCEPTION) instanceof HttpException e) {
      status = e.getCode();
      response.setStatus(status);
    }
    if (status < 400) {
      status = 500;
      response.setStatus(status);
    }
    ResponseHeaders.put(response.getHeaders());
    if (HttpMethod.HEAD.is(request.getMethod()) || HttpStatus.hasNoBody(status)) {
      callback.succeeded();
      return true;
    }
    ObjectNode n = Json.object();
    n.put("type", Problem.TYPE_BASE + slug(status));
    n.put("title", title(status));
    n.put("status", status);
    n.put("detail", detail(status));
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, Json.PROBLEM_CONTENT_TYPE);
    response.write(true, ByteBuffer.wrap(Json.MAPPER.writeValueAsBytes(n)), callback);
    return true;
  }

  private static String slug(int status) {
    return switch (status) {
      case 400 -> "bad-request";
      case 414 -> "uri-too-long";
      case 431 -> "request-header-fields-too-large";
      case 500 -> "internal-error";
      default -> "http-" + status;
    };
  }

  private static String title(int status) {
    String reason = HttpStatus.getMessage(status);
    return reason == null ? "HTTP " + status : reason;
  }

  private static String detail(int status) {
    return switch (status) {
      case 400 -> "the request could not be parsed as HTTP/1.1 (request line, headers or path)";
      case 414 -> "the request line is longer than the server reads";
      case 431 -> "the request headers are larger than the server reads";
      default -> "the request was refused (" + status + ")";
    };
  }
}
