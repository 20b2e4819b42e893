package dev.vigil.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real PostgreSQL for tests, shared by every test class of a JVM, with a fresh database per
 * caller.
 *
 * <pre>{@code
 * PostgresTestServer pg = PostgresTestServer.shared();
 * String database = pg.createDatabase();
 * try (PostgresJobStore store = pg.store(database).build()) { ... }
 * // or, for another process: pg.url(database), pg.user(), pg.password()
 * }</pre>
 *
 * <p><b>Which server.</b> When {@code VIGIL_TEST_POSTGRES_URL} is set (a {@code
 * jdbc:postgresql://host:port/database} URL of a database the user may connect to, with {@code
 * VIGIL_TEST_POSTGRES_USER} and {@code VIGIL_TEST_POSTGRES_PASSWORD}; the user needs {@code
 * CREATEDB}), {@link #shared()} uses that server and drops the databases it created when the JVM
 * exits. Otherwise it starts a private PostgreSQL 15 or later, once per JVM, on first use: it
 * finds {@code initdb} and {@code pg_ctl} ({@code VIGIL_TEST_POSTGRES_BIN}, else {@code pg_config
 * --bindir}, else the newest {@code /usr/lib/postgresql/<version>/bin}, else {@code PATH}), runs
 * {@code initdb} in a new directory under {@code /tmp}, and starts it with {@code pg_ctl} on a free
 * port of 127.0.0.1 (and a Unix socket in that directory), as the {@code postgres} user via {@code
 * runuser} when the tests run as root, since PostgreSQL refuses to run as root. The server runs
 * with {@code fsync=off}: only for tests, where a power loss loses nothing of value; a fast or
 * immediate stop of the server still loses no committed transaction. A JVM shutdown hook stops it
 * ({@code pg_ctl stop -m immediate}) and deletes its directory.
 *
 * <p><b>Nothing skips.</b> If no server is configured and none can be found or started, every
 * call fails with an {@link IllegalStateException} that says why and what to install, with
 * {@code CI=true} or without: PostgreSQL tests never skip silently.
 *
 * <p>{@link #startPrivate()} starts a further private server that belongs to the caller, for tests
 * that {@link #stop()} and {@link #start()} the database itself.
 */
public final class PostgresTestServer {
  /** The environment variables naming an existing server. */
  public static final String URL_ENV = "VIGIL_TEST_POSTGRES_URL";

  public static final String USER_ENV = "VIGIL_TEST_POSTGRES_USER";
  public static final String PASSWORD_ENV = "VIGIL_TEST_POSTGRES_PASSWORD";

  /** A directory holding {@code initdb}, {@code pg_ctl} and {@code postgres}, if not found alone. */
  public static final String BIN_ENV = "VIGIL_TEST_POSTGRES_BIN";

  private static final int MIN_MAJOR_VERSION = 15;
  private static final String PRIVATE_USER = "vigil";
  private static final String PRIVATE_PASSWORD = "vigil-test";
  private static final String OS_USER = "postgres";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Pattern URL =
      Pattern.compile("^(jdbc:postgresql://[^/?]+/)([^?]*)(\\?.*)?$");
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static final String RUN_ID = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());

  private static PostgresTestServer shared;
  private static IllegalStateException sharedFailure;

  private final String urlPrefix;
  private final String adminDatabase;
  private final String urlSuffix;
  private final String user;
  private final String password;
  private final Cluster cluster;
  private final Set<String> created = ConcurrentHashMap.newKeySet();

  private PostgresTestServer(
      String urlPrefix, String adminDatabase, String urlSuffix, String user, String password,
      Cluster cluster) {
    this.urlPrefix = urlPrefix;
    this.adminDatabase = adminDatabase;
    this.urlSuffix = urlSuffix;
    this.user = user;
    this.password = password;
    this.cluster = cluster;
  }

  /**
   * The server of this JVM: the one {@code VIGIL_TEST_POSTGRES_URL} names, or a private one
   * started on the first call and stopped when the JVM exits.
   *
   * @throws IllegalStateException if no server is configured and none can be started (every
   *     later call throws it again)
   */
  public static synchronized PostgresTestServer shared() {
    if (shared != null) {
      return shared;
    }
    if (sharedFailure != null) {
      throw sharedFailure;
    }
    try {
      String url = System.getenv(URL_ENV);
      shared =
          url == null || url.isBlank()
              ? startPrivate()
              : external(url.strip(), System.getenv(USER_ENV), System.getenv(PASSWORD_ENV));
      return shared;
    } catch (IllegalStateException e) {
      sharedFailure = e;
      throw e;
    }
  }

  /**
   * Starts a new private server that only the caller uses (for tests that stop and start it),
   * stopped and deleted when the JVM exits if not {@link #destroy() destroyed} before.
   *
   * @throws IllegalStateException if PostgreSQL 15+ cannot be found or started
   */
  public static PostgresTestServer startPrivate() {
    Cluster cluster = Cluster.create();
    PostgresTestServer server =
        new PostgresTestServer(
            "jdbc:postgresql://127.0.0.1:" + cluster.port + "/", "postgres", "",
            PRIVATE_USER, PRIVATE_PASSWORD, cluster);
    server.awaitConnection();
    return server;
  }

  private static PostgresTestServer external(String url, String user, String password) {
    Matcher m = URL.matcher(url);
    if (!m.matches()) {
      throw new IllegalStateException(
          URL_ENV + " must look like jdbc:postgresql://host:port/database, got " + url);
    }
    String database = m.group(2).isEmpty() ? "postgres" : m.group(2);
    PostgresTestServer server =
        new PostgresTestServer(
            m.group(1), database, m.group(3) == null ? "" : m.group(3), user, password, null);
    server.awaitConnection();
    Runtime.getRuntime()
        .addShutdownHook(new Thread(server::dropCreatedDatabases, "vigil-pg-test-cleanup"));
    return server;
  }

  /** The JDBC URL of {@code database} on this server. */
  public String url(String database) {
    return urlPrefix + database + urlSuffix;
  }

  /** The user tests connect as (a superuser on a private server). */
  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  /** Whether this server was started by the tests (and can be stopped and started by them). */
  public boolean isPrivate() {
    return cluster != null;
  }

  /** Creates a new, empty database with a name no other caller gets, and returns its name. */
  public String createDatabase() {
    String name = "vigil_test_" + RUN_ID + "_" + DATABASES.incrementAndGet();
    admin("CREATE DATABASE " + name);
    created.add(name);
    return name;
  }

  /** A new, empty database's JDBC URL: {@code url(createDatabase())}. */
  public String createDatabaseUrl() {
    return url(createDatabase());
  }

  /**
   * A store builder for {@code database} on this server, with its URL and credentials set; the
   * caller may change any other setting before {@code build()}.
   */
  public PostgresJobStore.Builder store(String database) {
    return PostgresJobStore.builder(url(database)).user(user).password(password);
  }

  /** Drops a database, disconnecting whoever is still connected to it. */
  public void dropDatabase(String name) {
    admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    created.remove(name);
  }

  /** Opens a connection to {@code database} as {@link #user()}; the caller closes it. */
  public Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(url(database), user, password);
  }

  /**
   * Stops a private server, fast: connections are closed, committed work stays. {@link #start()}
   * brings it back on the same port with the same data.
   */
  public void stop() {
    requirePrivate().stop("fast");
  }

  /** Starts a private server stopped by {@link #stop()} again, and waits until it answers. */
  public void start() {
    requirePrivate().start();
    awaitConnection();
  }

  /** Stops a private server at once and deletes its files. Idempotent. */
  public void destroy() {
    requirePrivate().destroy();
  }

  /** The TCP port of a private server. */
  public int port() {
    return requirePrivate().port;
  }

  @Override
  public String toString() {
    return cluster == null ? "PostgreSQL at " + url(adminDatabase) : cluster.toString();
  }

  private Cluster requirePrivate() {
    if (cluster == null) {
      throw new IllegalStateException("only a private PostgresTestServer can be stopped or started");
    }
    return cluster;
  }

  private void admin(String sql) {
    try (Connection c = connect(adminDatabase);
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot run '" + sql + "' on " + this + ": " + e.getMessage(), e);
    }
  }

  /** Checks that the server answers (a private one is ready once {@code pg_ctl -w} returns). */
  private void awaitConnection() {
    try (Connection c = connect(adminDatabase)) {
      c.isValid(5);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "PostgreSQL tests never skip, and " + this + " does not accept connections: "
              + e.getMessage() + (cluster == null ? "" : "\n" + cluster.logTail()),
          e);
    }
  }

  private void dropCreatedDatabases() {
    for (String name : List.copyOf(created)) {
      try {
        dropDatabase(name);
      } catch (RuntimeException e) {
        // the JVM is exiting; a database left behind is only clutter
      }
    }
  }

  /** A private cluster: its directory, binaries and port, and the commands that run it. */
  private static final class Cluster {
    private final Path bin;
    private final Path dir;
    private final boolean asPostgresUser;
    private final String version;
    private volatile int port;
    private volatile boolean destroyed;

    private Cluster(Path bin, Path dir, boolean asPostgresUser, String version) {
      this.bin = bin;
      this.dir = dir;
      this.asPostgresUser = asPostgresUser;
      this.version = version;
    }

    static Cluster create() {
      Path bin = findBin();
      String version = version(bin);
      boolean root = isRoot();
      Path dir = createDirectory(root);
      Cluster cluster = new Cluster(bin, dir, root, version);
      Runtime.getRuntime().addShutdownHook(new Thread(cluster::destroy, "vigil-pg-test-stop"));
      cluster.initdb();
      IllegalStateException last = null;
      for (int attempt = 0; attempt < 3; attempt++) {
        cluster.port = freePort();
        try {
          cluster.start();
          return cluster;
        } catch (IllegalStateException e) {
          last = e; // most likely the port was taken meanwhile: try another
        }
      }
      cluster.destroy();
      throw last;
    }

    private void initdb() {
      Path pwfile = dir.resolve("pwfile");
      try {
        Files.writeString(pwfile, PRIVATE_PASSWORD + "\n", StandardCharsets.UTF_8);
        own(pwfile);
      } catch (IOException e) {
        throw new IllegalStateException("cannot write " + pwfile, e);
      }
      run(
          List.of(
              bin.resolve("initdb").toString(),
              "-D", dir.resolve("data").toString(),
              "-U", PRIVATE_USER,
              "--pwfile=" + pwfile,
              "--auth-local=trust",
              "--auth-host=scram-sha-256",
              "-E", "UTF8",
              "--locale=C",
              "--no-sync",
              "--no-instructions"),
          "initdb");
    }

    void start() {
      run(
          List.of(
              bin.resolve("pg_ctl").toString(),
              "-D", dir.resolve("data").toString(),
              "-l", dir.resolve("postgres.log").toString(),
              "-w", "-t", Long.toString(START_TIMEOUT.toSeconds()),
              "-o",
              "-p " + port + " -k " + dir
                  + " -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300",
              "start"),
          "pg_ctl start");
    }

    void stop(String mode) {
      run(
          List.of(
              bin.resolve("pg_ctl").toString(),
              "-D", dir.resolve("data").toString(),
              "-m", mode, "-w", "-t", "60", "stop"),
          "pg_ctl stop");
    }

    synchronized void destroy() {
      if (destroyed) {
        return;
      }
      destroyed = true;
      if (Files.exists(dir.resolve("data").resolve("postmaster.pid"))) {
        try {
          stop("immediate");
        } catch (IllegalStateException e) {
          System.err.println("PostgresTestServer: " + e.getMessage());
        }
      }
      deleteRecursively(dir);
    }

    String logTail() {
      try {
        List<String> lines = Files.readAllLines(dir.resolve("postgres.log"));
        return "postgres.log ends:\n"
            + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
      } catch (IOException | UncheckedIOException e) {
        return "(no postgres.log)";
      }
    }

    @Override
    public String toString() {
      return "private PostgreSQL " + version + " on 127.0.0.1:" + port + " (" + dir + ")";
    }

    /** Runs a PostgreSQL command, as the postgres user when we are root; fails with its output. */
    private void run(List<String> command, String what) {
      List<String> argv = new ArrayList<>();
      if (asPostgresUser) {
        argv.addAll(List.of(runuser(), "-u", OS_USER, "--"));
      }
      argv.addAll(command);
      Path output = dir.resolve(what.replace(' ', '-') + ".out");
      try {
        Process p =
            new ProcessBuilder(argv)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        if (!p.waitFor(START_TIMEOUT.toSeconds() + 30, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new IllegalStateException(what + " did not finish: " + String.join(" ", argv));
        }
        if (p.exitValue() != 0) {
          throw new IllegalStateException(
              "PostgreSQL tests never skip, and " + what + " failed (exit " + p.exitValue() + "): "
                  + String.join(" ", argv) + "\n" + read(output) + "\n" + logTail());
        }
      } catch (IOException e) {
        throw new IllegalStateException("cannot run " + what + ": " + e.getMessage(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while running " + what, e);
      }
    }

    private void own(Path path) throws IOException {
      if (!asPostgresUser) {
        return;
      }
      UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
      PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
      view.setOwner(users.lookupPrincipalByName(OS_USER));
      try {
        GroupPrincipal group = users.lookupPrincipalByGroupName(OS_USER);
        view.setGroup(group);
      } catch (IOException e) {
        // no postgres group: the owner is enough
      }
    }

    private static Path createDirectory(boolean root) {
      try {
        // As root the directory must be reachable by the postgres user: /tmp is, a root-owned
        // java.io.tmpdir might not be.
        Path parent = root ? Path.of("/tmp") : Path.of(System.getProperty("java.io.tmpdir"));
        Path dir =
            Files.createTempDirectory(
                parent, "vigil-pg-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        if (root) {
          try {
            UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
            Files.getFileAttributeView(dir, PosixFileAttributeView.class)
                .setOwner(users.lookupPrincipalByName(OS_USER));
          } catch (IOException e) {
            deleteRecursively(dir);
            throw new IllegalStateException(
                "PostgreSQL tests never skip: running as root, PostgreSQL must run as the '"
                    + OS_USER + "' user, which does not exist here (install the postgresql"
                    + " package, or set " + URL_ENV + ")", e);
          }
        }
        return dir;
      } catch (IOException e) {
        throw new IllegalStateException("cannot create a directory for PostgreSQL", e);
      }
    }

    private static Path findBin() {
      List<Path> candidates = new ArrayList<>();
      Optional.ofNullable(System.getenv(BIN_ENV)).filter(s -> !s.isBlank()).map(Path::of)
          .ifPresent(candidates::add);
      pgConfigBindir().ifPresent(candidates::add);
      candidates.addAll(versionedDirs(Path.of("/usr/lib/postgresql"), "", "bin"));
      candidates.addAll(versionedDirs(Path.of("/usr"), "pgsql-", "bin"));
      candidates.add(Path.of("/usr/local/pgsql/bin"));
      for (String entry : System.getenv().getOrDefault("PATH", "").split(":")) {
        if (!entry.isBlank()) {
          candidates.add(Path.of(entry));
        }
      }
      for (Path dir : candidates) {
        if (Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("pg_ctl"))) {
          return dir;
        }
      }
      throw new IllegalStateException(
          "PostgreSQL tests never skip (CI=" + System.getenv("CI") + "), and no PostgreSQL"
              + " server binaries (initdb, pg_ctl) were found in " + candidates
              + ". Install PostgreSQL " + MIN_MAJOR_VERSION + " or later (Debian/Ubuntu: apt-get"
              + " install -y postgresql), or set " + BIN_ENV + " to its bin directory, or set "
              + URL_ENV + " (with " + USER_ENV + " and " + PASSWORD_ENV + ") to a server to use.");
    }

    private static Optional<Path> pgConfigBindir() {
      try {
        Process p = new ProcessBuilder("pg_config", "--bindir").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return p.waitFor() == 0 && !out.isEmpty() ? Optional.of(Path.of(out)) : Optional.empty();
      } catch (IOException e) {
        return Optional.empty();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }

    /** {@code base/<prefix><version>/<sub>} directories, newest version first. */
    private static List<Path> versionedDirs(Path base, String prefix, String sub) {
      if (!Files.isDirectory(base)) {
        return List.of();
      }
      try (Stream<Path> dirs = Files.list(base)) {
        return dirs.filter(d -> d.getFileName().toString().startsWith(prefix))
            .filter(d -> majorOf(d.getFileName().toString().substring(prefix.length())) > 0)
            .sorted(
                Comparator.comparingInt(
                        (Path d) -> majorOf(d.getFileName().toString().substring(prefix.length())))
                    .reversed())
            .map(d -> d.resolve(sub))
            .toList();
      } catch (IOException e) {
        return List.of();
      }
    }

    private static String version(Path bin) {
      try {
        Process p =
            new ProcessBuilder(bin.resolve("postgres").toString(), "--version")
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor();
        Matcher m = Pattern.compile("(\\d+)(\\.\\d+)?").matcher(out);
        if (!m.find()) {
          throw new IllegalStateException("cannot read the PostgreSQL version from: " + out);
        }
        if (Integer.parseInt(m.group(1)) < MIN_MAJOR_VERSION) {
          throw new IllegalStateException(
              "PostgreSQL tests never skip, and they need PostgreSQL " + MIN_MAJOR_VERSION
                  + " or later; " + bin + " holds " + out);
        }
        return m.group();
      } catch (IOException e) {
        throw new IllegalStateException("cannot run " + bin.resolve("postgres") + " --version", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }

    private static int majorOf(String version) {
      Matcher m = Pattern.compile("^(\\d+)").matcher(version);
      return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    private static boolean isRoot() {
      try {
        Process p = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return p.waitFor() == 0 && out.equals("0");
      } catch (IOException e) {
        return "root".equals(System.getProperty("user.name"));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "root".equals(System.getProperty("user.name"));
      }
    }

    private static String runuser() {
      for (String candidate : List.of("/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser")) {
        if (Files.isExecutable(Path.of(candidate))) {
          return candidate;
        }
      }
      throw new IllegalStateException(
          "PostgreSQL tests never skip: running as root needs runuser (util-linux) to start"
              + " PostgreSQL as the '" + OS_USER + "' user; or set " + URL_ENV);
    }

    private static int freePort() {
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        return s.getLocalPort();
      } catch (IOException e) {
        throw new IllegalStateException("cannot find a free port", e);
      }
    }

    private static String read(Path file) {
      try {
        return Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "";
      }
    }

    private static void deleteRecursively(Path dir) {
      if (!Files.exists(dir)) {
        return;
      }
      try (Stream<Path> paths = Files.walk(dir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException | UncheckedIOException e) {
        // best effort: a temporary directory left behind
      }
    }
  }
}
