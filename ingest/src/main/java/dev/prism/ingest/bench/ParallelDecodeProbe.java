package dev.prism.ingest.bench;

import dev.prism.ingest.ffmpeg.Decoder;
import dev.prism.ingest.ffmpeg.Demuxer;
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
        // Control: two whole-file single-thread decodes at once share the cores and caches the way
        // two chunk workers do, with no chunking at all: their CPU inflation is the machine's.
        double both = concurrentSingles(f);
        out.println(String.format(Locale.ROOT, "gop %d run %d: chunked 1 worker thread-cpu %.2f s (overhead %.3f);"
            + " two single decodes at once %.2f s each (contention %.3f)",
            gop, i, chunked.threadCpuSeconds(), chunked.threadCpuSeconds() / one.threadCpuSeconds(), both,
            both / one.threadCpuSeconds()));
        out.println(String.format(Locale.ROOT, "gop %d run %d: single wall %.2f s thread-cpu %.2f s process-cpu %.2f s"
            + " | parallel wall %.2f s thread-cpu %.2f s process-cpu %.2f s (scan %.3f, producer %.3f, idle %.2f s, %d chunks)"
            + " | cpu overhead %.3f (process %.3f) -> idle-core speedup ~%.2fx (critical path %.2fx; schedule replay %.2fx,"
            + " fixed window %.2fx); wall %.2fx, load %s",
            gop, i, one.seconds(), one.threadCpuSeconds(), one.cpuSeconds(), par.seconds(), par.threadCpuSeconds(),
            par.cpuSeconds(), par.scanCpuSeconds(), par.producerCpuSeconds(), par.workerIdleSeconds(),
            par.chunks(), par.threadCpuSeconds() / one.threadCpuSeconds(), par.cpuSeconds() / one.cpuSeconds(),
            2 * one.threadCpuSeconds() / par.threadCpuSeconds(), one.threadCpuSeconds() / par.criticalPathCpuSeconds(),
            one.threadCpuSeconds() / par.idleCoreSeconds(), one.threadCpuSeconds() / par.fixedWindowIdleCoreSeconds(),
            one.seconds() / par.seconds(), load()));
        out.println(String.format(Locale.ROOT, "gop %d run %d: JVM share single | parallel: GC %d collections %.3f s | %d %.3f s;"
            + " process CPU beyond the decoding threads %.3f s | %.3f s; JIT %.2f s | %.2f s",
            gop, i, one.gcCount(), one.gcSeconds(), par.gcCount(), par.gcSeconds(), one.otherCpuSeconds(),
            par.otherCpuSeconds(), one.jitSeconds(), par.jitSeconds()));
      }
      DecodeRun.Stats sampled = DecodeRun.video(MediaSource.file(f), DecodeMode.INDEXED, 2, -1, 1.0, true, 336);
      out.println(String.format(Locale.ROOT, "gop %d 1 fps: decoded %d frames for %d sampled (%.2f per sample), thread-cpu %.2f s",
          gop, sampled.decoded(), sampled.sampled(), (double) sampled.decoded() / sampled.sampled(), sampled.threadCpuSeconds()));
      DecodeRun.Stats counted = DecodeRun.video(MediaSource.file(f), DecodeMode.INDEXED, 2, -1, 1.0, false, 336);
      out.println(String.format(Locale.ROOT, "gop %d 1 fps without RGB conversion: decoded %d, thread-cpu %.2f s (scan %.3f s)",
          gop, counted.decoded(), counted.threadCpuSeconds(), counted.scanCpuSeconds()));
      long min = minimumDecodes(f, 1.0);
      out.println(String.format(Locale.ROOT, "gop %d 1 fps: theoretical minimum %d frames (%.2f per sample)",
          gop, min, (double) min / sampled.sampled()));
    }
  }

  /** Mean thread CPU seconds of two one-thread sequential decodes of f running at the same time. */
  private static double concurrentSingles(Path f) throws InterruptedException {
    DecodeRun.Stats[] s = new DecodeRun.Stats[2];
    Thread[] t = new Thread[2];
    for (int k = 0; k < 2; k++) {
      int i = k;
      t[k] = new Thread(() -> s[i] = DecodeRun.video(MediaSource.file(f), DecodeMode.SEQUENTIAL, 1, 1,
          Double.POSITIVE_INFINITY, false, 0));
      t[k].start();
    }
    t[0].join();
    t[1].join();
    return (s[0].threadCpuSeconds() + s[1].threadCpuSeconds()) / 2;
  }

  /**
   * The fewest frames a decoder must decode to output the frames sampled at {@code fps}: in each
   * GOP, the reference frames that precede (in decode order) its last sampled frame, plus the
   * sampled frames themselves. Reference frames are those a decode with skip_frame NONREF still
   * outputs. (A decoder cannot know which earlier references a frame really uses, so this is the
   * minimum for any decoder that only skips whole frames.)
   */
  static long minimumDecodes(Path f, double fps) {
    java.util.List<long[]> packets = new java.util.ArrayList<>();
    java.util.Set<Long> refs = new java.util.HashSet<>();
    double tb;
    try (Demuxer d = Demuxer.open(MediaSource.file(f), true, 1 << 20)) {
      int v = videoStream(d);
      tb = dev.prism.ingest.ffmpeg.Ffmpeg.toDouble(d.stream(v).time_base());
      try (Decoder dec = new Decoder(d.stream(v), 1, f.toString())) {
        dec.skipFrames(org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_NONREF);
        d.keepOnly(v);
        for (org.bytedeco.ffmpeg.avcodec.AVPacket p = d.read(); ; p = d.read()) {
          if (p != null) {
            packets.add(new long[] {p.pts(), (p.flags() & org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY)});
          }
          dec.send(p);
          while (dec.receive()) {
            refs.add(dec.framePts());
          }
          if (p == null) {
            break;
          }
        }
      }
    }
    long[] display = packets.stream().mapToLong(p -> p[0]).sorted().toArray();
    java.util.Set<Long> sampled = new java.util.HashSet<>();
    for (int i = 0; i < display.length; i++) {
      if (i == 0 || Math.floor((display[i] * tb + 1e-3) * fps) > Math.floor((display[i - 1] * tb + 1e-3) * fps)) {
        sampled.add(display[i]);
      }
    }
    long total = 0;
    int gopStart = 0;
    for (int i = 1; i <= packets.size(); i++) {
      if (i == packets.size() || packets.get(i)[1] != 0) {
        int last = -1;
        for (int j = gopStart; j < i; j++) {
          last = sampled.contains(packets.get(j)[0]) ? j : last;
        }
        for (int j = gopStart; j <= last; j++) {
          long t = packets.get(j)[0];
          total += refs.contains(t) || sampled.contains(t) ? 1 : 0;
        }
        gopStart = i;
      }
    }
    return total;
  }

  private static int videoStream(Demuxer d) {
    for (int i = 0; i < d.streamCount(); i++) {
      if (d.stream(i).codecpar().codec_type() == org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO) {
        return i;
      }
    }
    throw new IllegalArgumentException("no video stream in " + f(d));
  }

  private static String f(Demuxer d) {
    return d.name();
  }

  private static String load() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0];
    } catch (java.io.IOException e) {
      return "?";
    }
  }
}
