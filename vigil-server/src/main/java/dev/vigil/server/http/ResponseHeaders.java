package dev.vigil.server.http;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Headers on every answer of the server, set before any route runs so errors carry them too:
 * {@code X-Content-Type-Options: nosniff} (a browser never reads a JSON answer as a script or a
 * page) and {@code Cache-Control: no-store} (payloads, errors and health must not be kept by a
 * browser or a proxy; {@code /metrics} included, where a cached scrape would only be stale).
 */
final class ResponseHeaders extends Handler.Wrapper {
  static final PreEncodedHttpField NOSNIFF = new PreEncodedHttpField("X-Content-Type-Options", "nosniff");
  static final PreEncodedHttpField NO_STORE = new PreEncodedHttpField(HttpHeader.CACHE_CONTROL, "no-store");

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    put(response.getHeaders());
    return super.handle(request, response, callback);
  }

  static void put(HttpFields.Mutable headers) {
    headers.put(NOSNIFF);
    headers.put(NO_STORE);
  }
}
