package dev.vigil.observe;

import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import java.util.function.UnaryOperator;

/**
 * An exception as a log layout sees it, with its message (and its causes' and suppressed
 * exceptions' messages) passed through one function: redacted, or escaped.
 */
final class RewrittenThrowableProxy implements IThrowableProxy {
  private final IThrowableProxy proxy;
  private final String message;
  private final IThrowableProxy cause;
  private final IThrowableProxy[] suppressed;

  RewrittenThrowableProxy(IThrowableProxy proxy, UnaryOperator<String> rewrite) {
    this.proxy = proxy;
    this.message = rewrite.apply(proxy.getMessage());
    // a cyclic proxy's cause is itself: stop there rather than loop
    IThrowableProxy c = proxy.getCause();
    this.cause = c == null || c == proxy || proxy.isCyclic() ? c : new RewrittenThrowableProxy(c, rewrite);
    IThrowableProxy[] s = proxy.getSuppressed();
    if (s == null) {
      this.suppressed = null;
    } else {
      this.suppressed = new IThrowableProxy[s.length];
      for (int i = 0; i < s.length; i++) {
        suppressed[i] = new RewrittenThrowableProxy(s[i], rewrite);
      }
    }
  }

  @Override
  public String getMessage() {
    return message;
  }

  @Override
  public String getClassName() {
    return proxy.getClassName();
  }

  @Override
  public StackTraceElementProxy[] getStackTraceElementProxyArray() {
    return proxy.getStackTraceElementProxyArray();
  }

  @Override
  public int getCommonFrames() {
    return proxy.getCommonFrames();
  }

  @Override
  public IThrowableProxy getCause() {
    return cause;
  }

  @Override
  public IThrowableProxy[] getSuppressed() {
    return suppressed;
  }

  @Override
  public boolean isCyclic() {
    return proxy.isCyclic();
  }
}
