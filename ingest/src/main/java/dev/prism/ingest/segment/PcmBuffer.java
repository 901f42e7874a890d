package dev.prism.ingest.segment;

import java.util.Arrays;

/** Audio samples received but not yet handed out, indexed by absolute sample position. */
final class PcmBuffer {

  private float[] buf = new float[32768];
  private int size;
  private long consumed;

  void add(float[] s) {
    if (size + s.length > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + s.length));
    }
    System.arraycopy(s, 0, buf, size, s.length);
    size += s.length;
  }

  /** Absolute position just past the last received sample. */
  long end() {
    return consumed + size;
  }

  int available() {
    return size;
  }

  /** Takes samples up to absolute position {@code until} (fewer at the end of the stream). */
  float[] take(long until) {
    int n = (int) Math.max(0, Math.min(size, until - consumed));
    float[] r = Arrays.copyOf(buf, n);
    System.arraycopy(buf, n, buf, 0, size - n);
    size -= n;
    consumed += n;
    return r;
  }
}
