package dev.prism.ingest.source;

import dev.prism.ingest.MediaException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * One input as FFmpeg will open it: the URL handed to {@code avformat_open_input}, the protocol
 * options (timeouts), a display name for messages, and what is known of its size. Build it from a
 * trusted local path with {@link #file(Path)} or from a URI through {@link SourcePolicy#resolve}.
 * A live source (RTSP, HLS) is the same record with {@code live = true}: the segmenter then reads
 * sequentially and never seeks or parallelises.
 *
 * @param url what FFmpeg opens (a plain path for files)
 * @param name display name used in messages (no credentials)
 * @param options FFmpeg protocol options (for example {@code rw_timeout} in microseconds)
 * @param sizeBytes size in bytes, or -1 when unknown
 * @param live true for sources without an end or random access
 */
public record MediaSource(String url, String name, Map<String, String> options, long sizeBytes, boolean live) {

  public MediaSource {
    options = Map.copyOf(options);
  }

  /** A local file the caller already trusts (an upload in the media store, a CLI argument). */
  public static MediaSource file(Path path) {
    Path p = path.toAbsolutePath().normalize();
    String name = p.toString();
    if (!Files.isRegularFile(p)) {
      throw new MediaException(MediaException.Kind.EMPTY, name,
          "no such file (check the path, and that it is a regular file)");
    }
    long size;
    try {
      size = Files.size(p);
    } catch (java.io.IOException e) {
      throw new MediaException(MediaException.Kind.IO, name, "cannot read the file size: " + e.getMessage(), e);
    }
    if (size == 0) {
      throw new MediaException(MediaException.Kind.EMPTY, name, "the file is empty (0 bytes); upload the media again");
    }
    return new MediaSource("file:" + p, name, Map.of(), size, false);
  }

  /** True when FFmpeg reads it over the network. */
  public boolean remote() {
    return url.startsWith("http:") || url.startsWith("https:");
  }
}
