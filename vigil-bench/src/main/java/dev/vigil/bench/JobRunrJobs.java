package dev.vigil.bench;

import java.util.function.LongConsumer;
import org.jobrunr.jobs.lambdas.JobRequest;
import org.jobrunr.jobs.lambdas.JobRequestHandler;

/**
 * The jobs JobRunr runs in the harness, written with its {@code JobRequest} API (a serialisable
 * request and the handler that runs it), which avoids its bytecode analysis of lambdas. Public
 * because JobRunr instantiates and invokes them reflectively.
 */
public final class JobRunrJobs {
  private JobRunrJobs() {}

  /** A no-op job carrying the nanosecond clock read just before it was enqueued. */
  public record Noop(long submitNanos) implements JobRequest {
    @Override
    public Class<NoopHandler> getJobRequestHandler() {
      return NoopHandler.class;
    }
  }

  /** Reports each job's enqueue clock when it starts, and does nothing else. */
  public static final class NoopHandler implements JobRequestHandler<Noop> {
    private final LongConsumer started;

    NoopHandler(LongConsumer started) {
      this.started = started;
    }

    @Override
    public void run(Noop job) {
      started.accept(job.submitNanos());
    }
  }

  /** A long background job ("dream") that sleeps for {@code millis}. */
  public record Dream(long millis) implements JobRequest {
    @Override
    public Class<DreamHandler> getJobRequestHandler() {
      return DreamHandler.class;
    }
  }

  /** Counts dreams that start, then sleeps. */
  public static final class DreamHandler implements JobRequestHandler<Dream> {
    private final Runnable started;

    DreamHandler(Runnable started) {
      this.started = started;
    }

    @Override
    public void run(Dream job) throws InterruptedException {
      started.run();
      Thread.sleep(job.millis());
    }
  }

  /** A short cognition ("chat") job: its sequence number and the clock read before its enqueue. */
  public record Chat(long seq, long submitNanos) implements JobRequest {
    @Override
    public Class<ChatHandler> getJobRequestHandler() {
      return ChatHandler.class;
    }
  }

  /** Reports each chat job when it starts. */
  public static final class ChatHandler implements JobRequestHandler<Chat> {
    private final java.util.function.BiConsumer<Long, Long> started;

    ChatHandler(java.util.function.BiConsumer<Long, Long> started) {
      this.started = started;
    }

    @Override
    public void run(Chat job) {
      started.accept(job.seq(), job.submitNanos());
    }
  }
}
