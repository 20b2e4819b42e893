package dev.vigil;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown when a request is refused because some of its fields are invalid: a blank type, an
 * unknown lane, a payload over the limit, attempts outside 1..100, a negative delay, a cron
 * expression that does not parse. Every failing field is named; nothing is stored.
 */
public final class InvalidRequestException extends VigilException {
  private static final long serialVersionUID = 1L;

  /** One failing field and why it failed. */
  public record FieldError(String field, String message) {
    @Override
    public String toString() {
      return field + ": " + message;
    }
  }

  private final transient List<FieldError> errors;

  public InvalidRequestException(List<FieldError> errors) {
    super(errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
    this.errors = List.copyOf(errors);
  }

  public InvalidRequestException(String field, String message) {
    this(List.of(new FieldError(field, message)));
  }

  /** The failing fields, in the order they were checked. */
  public List<FieldError> errors() {
    return errors;
  }

  /** The same errors with every field name prefixed, e.g. {@code jobs[3].type}. */
  public InvalidRequestException prefixed(String prefix) {
    return new InvalidRequestException(
        errors.stream().map(e -> new FieldError(prefix + e.field(), e.message())).toList());
  }
}
