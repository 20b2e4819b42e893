package dev.vigil.server.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;

/**
 * Whether the client of a long-polling request is still there.
 *
 * <p>Design: while a handler runs, Jetty does not read from its connection, so a client that closed
 * it goes unnoticed until the answer is written (and a write into the socket's buffer usually
 * succeeds even then). A waiting claim therefore asks the connection itself: a non-blocking read of
 * one byte answers -1 once the client has closed or reset it, and 0 while it waits. A client that
 * sends more bytes while its claim waits (pipelining, which no worker should do) has one byte of
 * its next request taken: the connection is then closed after the answer, so that request is
 * refused as a whole instead of read half.
 */
final class ClientConnection implements BooleanSupplier {
  private final Context ctx;
  private final EndPoint endPoint;
  private volatile boolean open = true;
  private boolean pipelined;

  private ClientConnection(Context ctx, EndPoint endPoint) {
    this.ctx = ctx;
    this.endPoint = endPoint;
  }

  /** The connection of this request. */
  static ClientConnection of(Context ctx) {
    EndPoint endPoint =
        ServletContextRequest.getServletContextRequest(ctx.req()).getConnectionMetaData().getConnection().getEndPoint();
    return new ClientConnection(ctx, endPoint);
  }

  /** True while the client may still read the answer. */
  @Override
  public boolean getAsBoolean() {
    if (!open || pipelined) {
      return open;
    }
    if (!endPoint.isOpen() || endPoint.isInputShutdown()) {
      open = false;
      return false;
    }
    ByteBuffer one = BufferUtil.allocate(1);
    try {
      int read = endPoint.fill(one);
      if (read < 0) {
        open = false;
      } else if (read > 0) {
        pipelined = true;
        ctx.header("Connection", "close");
      }
    } catch (IOException e) {
      open = false;
    }
    return open;
  }
}
