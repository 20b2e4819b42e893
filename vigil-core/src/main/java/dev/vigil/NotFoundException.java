package dev.vigil;

/** Thrown when an action names a job, lane or schedule that does not exist. */
public class NotFoundException extends VigilException {
  private static final long serialVersionUID = 1L;

  private final String kind;
  private final String name;

  public NotFoundException(String kind, String name) {
    super("no " + kind + " named " + name);
    this.kind = kind;
    this.name = name;
  }

  /** What was looked for: {@code job}, {@code lane} or {@code schedule}. */
  public String kind() {
    return kind;
  }

  /** The id or name that was not found. */
  public String name() {
    return name;
  }
}
