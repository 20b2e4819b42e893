package dev.vigil.server.cli;

/**
 * Ends a command with a one-line message on standard error and an exit code: {@link #FAILURE} for a
 * server or network error, {@link #NOT_FOUND} when the server answered 404. (Usage errors are
 * picocli's, with exit code 2.)
 */
class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The server or the network failed, or refused the request. */
  static final int FAILURE = 1;

  /** The job, lane, schedule, error group or silence does not exist. */
  static final int NOT_FOUND = 3;

  private final int exitCode;

  CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  CliException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
