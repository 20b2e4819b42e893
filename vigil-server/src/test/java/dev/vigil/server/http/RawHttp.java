package dev.vigil.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for requests the JDK's clients will not send: any {@code Host},
 * a malformed request line, oversized headers. Each request closes its connection.
 */
final class RawHttp {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** An answer: status, headers (names in lower case), body. */
  record Answer(int status, Map<String, String> headers, String body) {
    JsonNode json() {
      try {
        return MAPPER.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + body, e);
      }
    }

    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
      return status + " " + headers + " " + body;
    }
  }

  private RawHttp() {}

  /** {@code method path} with {@code headers} (each {@code Name: value}) and an optional JSON body. */
  static Answer request(int port, String method, String path, String body, String... headers) {
    var text = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n");
    for (String h : headers) {
      text.append(h).append("\r\n");
    }
    if (body != null) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      text.append("Content-Type: application/json\r\nContent-Length: ").append(bytes.length).append("\r\n");
    }
    text.append("Connection: close\r\n\r\n");
    if (body != null) {
      text.append(body);
    }
    return send(port, text.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Sends {@code bytes} as they are and reads the answer until the server closes. */
  static Answer send(int port, byte[] bytes) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(bytes);
      socket.getOutputStream().flush();
      return parse(readAll(socket.getInputStream()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    var out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      int n;
      while ((n = in.read(buffer)) != -1) {
        out.write(buffer, 0, n);
      }
    } catch (java.net.SocketException reset) {
      // the server may reset after its answer to a request it did not read to the end
    }
    return out.toByteArray();
  }

  private static Answer parse(byte[] raw) {
    String text = new String(raw, StandardCharsets.UTF_8);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      throw new IllegalStateException("no complete answer: '" + text + "'");
    }
    String[] lines = text.substring(0, end).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    var headers = new LinkedHashMap<String, String>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.merge(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim(),
          (a, b) -> a + ", " + b);
    }
    String body = text.substring(end + 4);
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      body = unchunk(body);
    }
    return new Answer(status, headers, body);
  }

  private static String unchunk(String chunked) {
    var out = new StringBuilder();
    int at = 0;
    while (true) {
      int eol = chunked.indexOf("\r\n", at);
      int size = Integer.parseInt(chunked.substring(at, eol).split(";")[0].trim(), 16);
      if (size == 0) {
        return out.toString();
      }
      out.append(chunked, eol + 2, eol + 2 + size);
      at = eol + 2 + size + 2;
    }
  }
}
