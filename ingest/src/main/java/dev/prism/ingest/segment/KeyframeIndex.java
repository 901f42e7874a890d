package dev.prism.ingest.segment;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;

import dev.prism.ingest.ffmpeg.Demuxer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVPacket;

/**
 * QuickVideo's first step (papers.md, "QuickVideo": QuickDecoder): the keyframe positions of the
 * video stream, found by demuxing its packets without decoding. The keyframes cut the timeline
 * into GOPs, each decodable on its own; the sampled frames are computed up front from the packet
 * times with the {@link FrameSampler} rule, so every strategy selects the same frames.
 */
final class KeyframeIndex {

  /** Keyframe presentation times (stream time base), ascending: GOP g is [key[g], key[g+1]). */
  final long[] keys;
  /** Sorted presentation times of the sampled frames. */
  final long[] selected;
  /** Number of sampled frames per GOP. */
  final int[] selectedPerGop;
  /** Number of frames (packets with a timestamp). */
  final int frameCount;
  /**
   * Sorted times of the keyframes followed in decode order by pictures shown before them (leading
   * pictures of open GOPs): only across these must a chunk's decoder be fed the next keyframe.
   */
  private final long[] openKeys;
  final double contentEnd;

  private KeyframeIndex(long[] keys, long[] selected, int[] perGop, int frameCount, double contentEnd, long[] openKeys) {
    this.keys = keys;
    this.openKeys = openKeys;
    this.selected = selected;
    this.selectedPerGop = perGop;
    this.frameCount = frameCount;
    this.contentEnd = contentEnd;
  }

  /**
   * Scans the stream; null when the packets lack timestamps or keyframe flags (then only
   * sequential decoding is safe). The demuxer is left at the end.
   */
  static KeyframeIndex scan(Demuxer d, int stream, double tb, double origin, FrameSampler sampler,
      DecodeBudget budget) {
    d.keepOnly(stream);
    long[] pts = new long[4096];
    long[] keys = new long[256];
    int n = 0;
    int k = 0;
    int missing = 0;
    long lastKey = AV_NOPTS_VALUE;
    long[] open = new long[16];
    int o = 0;
    AVPacket p;
    while ((p = d.read()) != null) {
      if (p.stream_index() != stream) {
        continue;
      }
      budget.inputBytes(p.size());
      long t = p.pts();
      if (t == AV_NOPTS_VALUE) {
        missing++;
        continue;
      }
      if (n == pts.length) {
        pts = Arrays.copyOf(pts, n * 2);
      }
      pts[n++] = t;
      if ((p.flags() & AV_PKT_FLAG_KEY) != 0) {
        if (k == keys.length) {
          keys = Arrays.copyOf(keys, k * 2);
        }
        keys[k++] = t;
        lastKey = t;
      } else if (lastKey != AV_NOPTS_VALUE && t < lastKey && (o == 0 || open[o - 1] != lastKey)) {
        if (o == open.length) {
          open = Arrays.copyOf(open, o * 2);
        }
        open[o++] = lastKey;
      }
    }
    if (n == 0 || k == 0 || missing > n / 100) {
      return null;
    }
    long[] all = Arrays.copyOf(pts, n);
    Arrays.sort(all);
    long[] ks = Arrays.copyOf(keys, k);
    Arrays.sort(ks);
    if (ks[0] > all[0]) {
      // Frames before the first keyframe cannot be decoded alone; start the first GOP at them.
      ks[0] = all[0];
    }
    List<Long> sel = new ArrayList<>();
    double prev = Double.NaN;
    long last = Long.MIN_VALUE;
    for (long t : all) {
      if (t == last) {
        continue;
      }
      last = t;
      double s = t * tb - origin;
      if (sampler.takes(prev, s)) {
        sel.add(t);
      }
      prev = s;
    }
    long[] selected = sel.stream().mapToLong(Long::longValue).toArray();
    int[] perGop = new int[ks.length];
    for (long t : selected) {
      perGop[gopOf(ks, t)]++;
    }
    double frameDur = n > 1 ? (all[n - 1] - all[0]) * tb / (n - 1) : 0;
    long[] openKeys = Arrays.copyOf(open, o);
    Arrays.sort(openKeys);
    return new KeyframeIndex(ks, selected, perGop, n, all[n - 1] * tb - origin + frameDur, openKeys);
  }

  /** The GOP holding time t: the last keyframe at or before it. */
  static int gopOf(long[] keys, long t) {
    int i = Arrays.binarySearch(keys, t);
    return i >= 0 ? i : Math.max(0, -i - 2);
  }

  int gopOf(long t) {
    return gopOf(keys, t);
  }

  /** Whether pictures shown before the keyframe at {@code keyTime} follow it in decode order. */
  boolean hasLeadingPictures(long keyTime) {
    return Arrays.binarySearch(openKeys, keyTime) >= 0;
  }

  boolean isSelected(long t) {
    return Arrays.binarySearch(selected, t) >= 0;
  }

  /**
   * Splits the GOPs that hold sampled frames into consecutive chunks for the workers: about
   * {@code 4 * workers} chunks for balance, each at most {@code maxFrames} sampled frames unless a
   * single GOP holds more (a GOP cannot be split without decoding it twice).
   */
  List<int[]> chunks(int workers, int maxFrames) {
    int total = selected.length;
    int target = Math.max(1, Math.min(maxFrames, (int) Math.ceil(total / (4.0 * workers))));
    List<int[]> out = new ArrayList<>();
    int start = -1;
    int count = 0;
    for (int g = 0; g < keys.length; g++) {
      if (selectedPerGop[g] == 0) {
        continue;
      }
      if (start >= 0 && count + selectedPerGop[g] > target) {
        out.add(new int[] {start, g});
        start = -1;
        count = 0;
      }
      if (start < 0) {
        start = g;
      }
      count += selectedPerGop[g];
    }
    if (start >= 0) {
      out.add(new int[] {start, keys.length});
    }
    return out;
  }
}
