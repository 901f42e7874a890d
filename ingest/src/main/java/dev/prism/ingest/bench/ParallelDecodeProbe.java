package dev.prism.ingest.bench;

import dev.prism.ingest.segment.DecodeMode;
import dev.prism.ingest.segment.DecodeRun;
import dev.prism.ingest.source.MediaSource;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A focused diagnostic for the keyframe-parallel rows of {@link DecodeBench}: on a shared machine
 * wall time says little, so it reports the CPU the parallel decode spends against one decoder
 * thread on the same file (the overhead ratio; the speedup on two idle cores is about
 * {@code 2 / ratio} while the workers stay busy), the serial keyframe scan and the workers' idle
 * time. Also the frames decoded per sampled frame at 1 fps. Usage:
 * {@code ParallelDecodeProbe [dir-for-generated-clips] [repeats] [seconds]}; clips already in the
 * directory are reused.
 */
public final class ParallelDecodeProbe {

  private ParallelDecodeProbe() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : System.getProperty("java.io.tmpdir"), "prism-parallel-probe");
    int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 60;
    Files.createDirectories(dir);
    PrintStream out = System.out;
    for (int gop : new int[] {30, 60}) {
      String name = "720p-" + seconds + "s-gop" + gop + ".mp4";
      Path f = Files.exists(dir.resolve(name)) ? dir.resolve(name)
          : DecodeBench.generate(dir, name, 1280, 720, seconds, gop, "veryfast", false, out);
      for (int i = 0; i < repeats; i++) {
        DecodeRun.Stats one = DecodeRun.video(MediaSource.file(f), DecodeMode.SEQUENTIAL, 1, 1,
            Double.POSITIVE_INFINITY, false, 0);
        DecodeRun.Stats par = DecodeRun.video(MediaSource.file(f), DecodeMode.INDEXED, 2, 1,
            Double.POSITIVE_INFINITY, false, 0);
        // One worker: the chunked path's own overhead (scan, seeks, flushes), without two decoders
        // sharing caches and memory bandwidth.
        DecodeRun.Stats chunked = DecodeRun.video(MediaSource.file(f), DecodeMode.INDEXED, 1, 1,
            Double.POSITIVE_INFINITY, false, 0);
        out.println(String.format(Locale.ROOT, "gop %d run %d: chunked 1 worker thread-cpu %.2f s (overhead %.3f)",
            gop, i, chunked.threadCpuSeconds(), chunked.threadCpuSeconds() / one.threadCpuSeconds()));
        out.println(String.format(Locale.ROOT, "gop %d run %d: single wall %.2f s thread-cpu %.2f s process-cpu %.2f s"
            + " | parallel wall %.2f s thread-cpu %.2f s process-cpu %.2f s (scan %.3f, producer %.3f, idle %.2f s, %d chunks)"
            + " | cpu overhead %.3f (process %.3f) -> idle-core speedup ~%.2fx (critical path %.2fx); wall %.2fx, load %s",
            gop, i, one.seconds(), one.threadCpuSeconds(), one.cpuSeconds(), par.seconds(), par.threadCpuSeconds(),
            par.cpuSeconds(), par.scanCpuSeconds(), par.producerCpuSeconds(), par.workerIdleSeconds(),
            par.chunks(), par.threadCpuSeconds() / one.threadCpuSeconds(), par.cpuSeconds() / one.cpuSeconds(),
            2 * one.threadCpuSeconds() / par.threadCpuSeconds(), one.threadCpuSeconds() / par.criticalPathCpuSeconds(),
            one.seconds() / par.seconds(), load()));
      }
      DecodeRun.Stats sampled = DecodeRun.video(MediaSource.file(f), DecodeMode.INDEXED, 2, -1, 1.0, true, 336);
      out.println(String.format(Locale.ROOT, "gop %d 1 fps: decoded %d frames for %d sampled (%.2f per sample), thread-cpu %.2f s",
          gop, sampled.decoded(), sampled.sampled(), (double) sampled.decoded() / sampled.sampled(), sampled.threadCpuSeconds()));
    }
  }

  private static String load() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0];
    } catch (java.io.IOException e) {
      return "?";
    }
  }
}
