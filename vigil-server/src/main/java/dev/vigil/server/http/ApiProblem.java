package dev.vigil.server.http;

/**
 * Thrown by the HTTP layer to answer with a {@link Problem} it decided on itself (401, 413, 415,
 * 503, malformed JSON). Carries no stack trace: it is an answer, not a fault.
 */
final class ApiProblem extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Problem problem;

  ApiProblem(Problem problem) {
    super(problem.detail(), null, false, false);
    this.problem = problem;
  }

  Problem problem() {
    return problem;
  }
}
