package dev.vigil.store;

import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;

/**
 * The definition of a correct {@link JobStore}. Every store (SQLite, PostgreSQL, any other) must
 * pass this suite unchanged; a store's test class only says how to open its database.
 *
 * <h2>Using the kit for a new store</h2>
 *
 * Subclass it in the store's module (which depends on {@code vigil-core}'s test-jar) and implement
 * {@link #openStore()}:
 *
 * <pre>{@code
 * class SqliteJobStoreContractTest extends JobStoreContract {
 *   @TempDir Path dir;
 *
 *   @Override
 *   protected JobStore openStore() {
 *     return SqliteJobStore.open(dir.resolve("vigil.db"));
 *   }
 * }
 * }</pre>
 *
 * That is all: every group of the contract ({@link Enqueue}, {@link UniqueKeys}, {@link Claims},
 * {@link Leases}, ...) is a {@link Nested} class of this one and runs as part of the subclass.
 * Store-specific tests may be added to the subclass and can use {@link #store()}, {@link #clock()}
 * and {@link #ids()}.
 *
 * <h2>What the kit expects of {@code openStore()}</h2>
 *
 * <ul>
 *   <li><b>A fresh database for every test.</b> Each test (including each test of every nested
 *       group) begins with a store holding no jobs, schedules or lane pauses: use a
 *       {@code @TempDir} file for SQLite, a freshly created schema or database for PostgreSQL.
 *   <li><b>Re-opening.</b> The persistence tests close the store and call {@code openStore()} again
 *       within the same test; the second call must open the <em>same</em> database, as a process
 *       restart would.
 *   <li>The kit closes the store after each test.
 * </ul>
 *
 * <h2>How the kit treats time, ids and JSON</h2>
 *
 * Time never comes from the real clock: every {@code now} is a {@link TestClock} instant on whole
 * milliseconds, moved forward by hand, so a store must keep at least millisecond precision. Job ids
 * come from {@link TestIds}: UUID-shaped strings that sort, as text, in the order they were made.
 * Payloads, results and schedule job bodies are compared as JSON values, not as text, so a store
 * may normalise JSON (PostgreSQL's {@code jsonb} does). Waits for asynchronous effects (the ready
 * listeners) use Awaitility; nothing sleeps.
 *
 * <p>The concurrency tests (claims, unique keys, schedule ticks) use several platform threads and
 * take a few seconds; the whole kit should run in well under a minute on SQLite.
 */
public abstract class JobStoreContract {
  private final TestClock clock = new TestClock();
  private final TestIds ids = new TestIds();
  private JobStore store;

  /**
   * Opens the store under test on this test's own database: empty on the first call of a test, and
   * the same database again on a later call in the same test (after the kit closed the previous
   * store, as a restart would).
   */
  protected abstract JobStore openStore();

  @BeforeEach
  protected final void openStoreBeforeEachTest() {
    store = Objects.requireNonNull(openStore(), "openStore() returned null");
  }

  @AfterEach
  protected final void closeStoreAfterEachTest() {
    JobStore open = store;
    store = null;
    if (open != null) {
      open.close();
    }
  }

  /** The store under test. */
  protected final JobStore store() {
    if (store == null) {
      throw new IllegalStateException("no store is open");
    }
    return store;
  }

  /** This test's clock. */
  protected final TestClock clock() {
    return clock;
  }

  /** This test's job ids. */
  protected final TestIds ids() {
    return ids;
  }

  /** Closes the store and opens it again on the same database, as after a process restart. */
  protected final JobStore reopenStore() {
    JobStore open = store;
    store = null;
    open.close();
    store = Objects.requireNonNull(openStore(), "openStore() returned null");
    return store;
  }

  @Nested
  @DisplayName("enqueue")
  public class Enqueue extends EnqueueContract {
    Enqueue() {
      super(JobStoreContract.this);
    }
  }

  @Nested
  @DisplayName("unique keys")
  public class UniqueKeys extends UniqueKeyContract {
    UniqueKeys() {
      super(JobStoreContract.this);
    }
  }

  @Nested
  @DisplayName("claims")
  public class Claims extends ClaimContract {
    Claims() {
      super(JobStoreContract.this);
    }
  }

  @Nested
  @DisplayName("fairness by concurrency key")
  public class Fairness extends FairnessContract {
    Fairness() {
      super(JobStoreContract.this);
    }
  }

  @Nested
  @DisplayName("lane pauses")
  public class Pauses extends PauseContract {
    Pauses() {
      super(JobStoreContract.this);
    }
  }

  @Nested
  @DisplayName("leases and fencing")
  public class Leases extends LeaseContract {
    Leases() {
      super(JobStoreContract.this);
    }
  }

  @Nested
  @DisplayName("give-backs")
  public class GiveBacks extends UnclaimContract {
    GiveBacks() {
      super(JobStoreContract.this);
    }
  }

  @Nested
  @DisplayName("finish")
  public class Finishing extends FinishContract {
    Finishing() {
      super(JobStoreContract.this);
    }
  }

  @Nested
  @DisplayName("cancellation")
  public class Cancellation extends CancelContract {
    Cancellation() {
      super(JobStoreContract.this);
    }
  }

  @Nested
  @DisplayName("manual retry")
  public class Retry extends RetryContract {
    Retry() {
      super(JobStoreContract.this);
    }
  }

  @Nested
  @DisplayName("scheduled promotion")
  public class Promotion extends PromotionContract {
    Promotion() {
      super(JobStoreContract.this);
    }
  }

  @Nested
  @DisplayName("listing and pagination")
  public class Pagination extends QueryContract {
    Pagination() {
      super(JobStoreContract.this);
    }
  }

  @Nested
  @DisplayName("lane depths and state counts")
  public class Depths extends DepthContract {
    Depths() {
      super(JobStoreContract.this);
    }
  }

  @Nested
  @DisplayName("schedules")
  public class Schedules extends ScheduleContract {
    Schedules() {
      super(JobStoreContract.this);
    }
  }

  @Nested
  @DisplayName("ready listeners")
  public class Listeners extends ReadyListenerContract {
    Listeners() {
      super(JobStoreContract.this);
    }
  }

  @Nested
  @DisplayName("persistence across restart")
  public class Persistence extends PersistenceContract {
    Persistence() {
      super(JobStoreContract.this);
    }
  }

  @Nested
  @DisplayName("job timelines: attempt ready times and spans")
  public class Timelines extends SpanContract {
    Timelines() {
      super(JobStoreContract.this);
    }
  }

  @Nested
  @DisplayName("LLM usage recorded with attempts")
  public class Usage extends UsageContract {
    Usage() {
      super(JobStoreContract.this);
    }
  }

  @Nested
  @DisplayName("LLM usage reported apart from finishes, aggregated, kept for a time")
  public class UsageQueries extends UsageStoreContract {
    UsageQueries() {
      super(JobStoreContract.this);
    }
  }

  @Nested
  @DisplayName("nodes and leadership")
  public class Nodes extends NodeContract {
    Nodes() {
      super(JobStoreContract.this);
    }
  }
}
