package dev.prism.ingest;

/**
 * The one error type of the ingest library. Messages name the input, what was wrong and what the
 * caller can do, because they end up verbatim in a job's {@code failed(reason)}.
 */
public class MediaException extends RuntimeException {

  /** Why the input was refused; lets the REST layer map to a status code without parsing text. */
  public enum Kind {
    /** Nothing to read (missing, empty). */
    EMPTY,
    /** Not a media format FFmpeg recognises, or the container is damaged. */
    INVALID,
    /** A stream whose codec this FFmpeg build cannot decode. */
    UNSUPPORTED,
    /** Over a configured limit (dimensions, duration, streams, size, decoded volume). */
    LIMIT,
    /** Refused by the source policy (scheme, root, address). */
    FORBIDDEN,
    /** Network or file I/O failure, including timeouts. */
    IO,
    /** The reader was closed or interrupted. */
    CANCELLED
  }

  private final Kind kind;
  private final String input;

  public MediaException(Kind kind, String input, String message) {
    this(kind, input, message, null);
  }

  public MediaException(Kind kind, String input, String message, Throwable cause) {
    super(input + ": " + message, cause);
    this.kind = kind;
    this.input = input;
  }

  public Kind kind() {
    return kind;
  }

  /** The input's display name (path or URI without credentials). */
  public String input() {
    return input;
  }
}
