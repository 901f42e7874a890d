package dev.prism.ingest;

import dev.prism.ingest.bench.DecodeBench;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Media the bytedeco LGPL build cannot encode (H.265, x264's B-pyramids and open GOPs), made with
 * the ffmpeg command-line tool when it is installed (Debian's build has libx264 and libx265).
 * Tests using it are skipped, with the reason, where the tool or the encoder is missing.
 */
final class CliMedia {

  private CliMedia() {}

  /** Whether the ffmpeg CLI runs and has the named encoder. */
  static boolean hasEncoder(String name) {
    if (!DecodeBench.cliAvailable()) {
      return false;
    }
    return run(List.of("ffmpeg", "-hide_banner", "-encoders")).lines()
        .anyMatch(l -> l.trim().split("\\s+").length > 1 && l.trim().split("\\s+")[1].equals(name));
  }

  /**
   * testsrc2 video at w x h, 25 fps, and a 440 Hz tone at amplitude 0.5 (when {@code audioCodec}
   * is not null) for {@code seconds}, encoded with {@code videoArgs} (codec and its options).
   */
  static Path write(Path out, int w, int h, double seconds, List<String> videoArgs, String audioCodec) {
    List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
        "-f", "lavfi", "-i", String.format(Locale.ROOT, "testsrc2=size=%dx%d:rate=25", w, h)));
    if (audioCodec != null) {
      cmd.addAll(List.of("-f", "lavfi", "-i", "aevalsrc=0.5*sin(2*PI*440*t):s=48000"));
    }
    cmd.addAll(List.of("-t", Double.toString(seconds), "-pix_fmt", "yuv420p"));
    cmd.addAll(videoArgs);
    if (audioCodec != null) {
      cmd.addAll(List.of("-c:a", audioCodec));
    }
    cmd.add(out.toString());
    run(cmd);
    return out;
  }

  /** The frame at {@code seconds} as packed RGB24, decoded by the CLI (the reference decoder). */
  static byte[] referenceFrame(Path f, double seconds) {
    try {
      Process p = new ProcessBuilder("ffmpeg", "-hide_banner", "-loglevel", "error", "-i", f.toString(),
          "-vf", String.format(Locale.ROOT, "select='gte(t\\,%.3f)'", seconds - 0.001), "-frames:v", "1",
          "-f", "rawvideo", "-pix_fmt", "rgb24", "-").redirectError(ProcessBuilder.Redirect.DISCARD).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (p.waitFor() != 0) {
        throw new IllegalStateException("ffmpeg could not decode " + f);
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String run(List<String> cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (p.waitFor() != 0) {
        throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + out);
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
