package dev.prism.ingest.segment;

import dev.prism.ingest.source.MediaSource;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Not a test: a manual A/B run (main) of the keyframe-parallel scheduling on a shared machine. For
 * each file it alternates the frame-bounded look-ahead with a fixed window of workers + 1 chunks,
 * both against one decoder thread in the same round, so the load of each round hits all three.
 * Usage: {@code LookAheadComparison rounds file...} (e.g. the clips ParallelDecodeProbe generates).
 */
public final class LookAheadComparison {

  private LookAheadComparison() {}

  public static void main(String[] args) {
    int rounds = Integer.parseInt(args[0]);
    for (int a = 1; a < args.length; a++) {
      MediaSource f = MediaSource.file(Path.of(args[a]));
      double[] sum = new double[6];
      for (int i = 0; i < rounds; i++) {
        DecodeRun.Stats one = DecodeRun.video(f, DecodeMode.SEQUENTIAL, 1, 1, Double.POSITIVE_INFINITY, false, 0);
        DecodeRun.Stats fixed = DecodeRun.video(f, DecodeMode.INDEXED, 2, 1, Double.POSITIVE_INFINITY, false, 0, true);
        DecodeRun.Stats ahead = DecodeRun.video(f, DecodeMode.INDEXED, 2, 1, Double.POSITIVE_INFINITY, false, 0, false);
        System.out.println(String.format(Locale.ROOT, "%s round %d: wall speedup fixed window %.2fx, look-ahead %.2fx;"
            + " idle %.2f s vs %.2f s; cpu overhead %.3f vs %.3f",
            Path.of(args[a]).getFileName(), i, one.seconds() / fixed.seconds(), one.seconds() / ahead.seconds(),
            fixed.workerIdleSeconds(), ahead.workerIdleSeconds(), fixed.threadCpuSeconds() / one.threadCpuSeconds(),
            ahead.threadCpuSeconds() / one.threadCpuSeconds()));
        double[] v = {one.seconds() / fixed.seconds(), one.seconds() / ahead.seconds(), fixed.workerIdleSeconds(),
            ahead.workerIdleSeconds(), fixed.threadCpuSeconds() / one.threadCpuSeconds(), ahead.threadCpuSeconds() / one.threadCpuSeconds()};
        for (int k = 0; k < 6; k++) {
          sum[k] += v[k] / rounds;
        }
      }
      System.out.println(String.format(Locale.ROOT, "%s mean of %d: wall speedup fixed %.2fx, look-ahead %.2fx; idle %.2f vs %.2f s;"
          + " cpu overhead %.3f vs %.3f", Path.of(args[a]).getFileName(), rounds, sum[0], sum[1], sum[2], sum[3], sum[4], sum[5]));
    }
  }
}
