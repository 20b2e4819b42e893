package dev.vigil;

import dev.vigil.store.JobStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A real store with faults injected into chosen calls, for tests of how the engine copes: a
 * call can throw, or run something just before or after it reaches the store (another worker's
 * heartbeat between the reaper's read and its write, say). Calls without a fault go straight to
 * the store.
 */
final class StoreFaults {

  /** What to do around one call of a store method; the default passes the call through. */
  interface Fault {
    /** Runs before the call; may throw to fail it. */
    default void before(Object[] args) {}

    /** Sees (and may replace) the call's answer. */
    default Object after(Object[] args, Object answer) {
      return answer;
    }
  }

  private final Map<String, Fault> faults = new ConcurrentHashMap<>();
  private final JobStore proxy;

  private StoreFaults(JobStore store) {
    this.proxy =
        (JobStore)
            Proxy.newProxyInstance(
                JobStore.class.getClassLoader(),
                new Class<?>[] {JobStore.class},
                (p, method, args) -> call(store, method, args));
  }

  static StoreFaults around(JobStore store) {
    return new StoreFaults(store);
  }

  /** The store to give the engine. */
  JobStore store() {
    return proxy;
  }

  /** Sets the fault of every call of the named store method until {@link #clear}ed. */
  StoreFaults on(String method, Fault fault) {
    faults.put(method, fault);
    return this;
  }

  /**
   * Makes the first call of the named method whose arguments match throw {@code failure}; later
   * calls pass.
   */
  StoreFaults failOnce(String method, Predicate<Object[]> matching, RuntimeException failure) {
    var failed = new AtomicBoolean();
    return on(
        method,
        new Fault() {
          @Override
          public void before(Object[] args) {
            if (matching.test(args) && failed.compareAndSet(false, true)) {
              throw failure;
            }
          }
        });
  }

  /** Runs {@code action} with the call's arguments before every call of the named method. */
  StoreFaults beforeEach(String method, Consumer<Object[]> action) {
    return on(
        method,
        new Fault() {
          @Override
          public void before(Object[] args) {
            action.accept(args);
          }
        });
  }

  void clear(String method) {
    faults.remove(method);
  }

  private Object call(JobStore store, Method method, Object[] args) throws Throwable {
    Fault fault = faults.get(method.getName());
    if (fault != null) {
      fault.before(args);
    }
    Object answer;
    try {
      answer = method.invoke(store, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
    return fault == null ? answer : fault.after(args, answer);
  }
}
