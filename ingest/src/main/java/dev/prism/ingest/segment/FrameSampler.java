package dev.prism.ingest.segment;

import dev.prism.ingest.ffmpeg.RgbScaler;
import org.bytedeco.ffmpeg.avutil.AVFrame;

/**
 * The sampling rule and the frame conversion, shared by every decoding strategy so that they all
 * pick the same frames. Sampling instants are t_k = k / fps from the media start; a decoded frame
 * at time p whose predecessor was at q is taken iff some instant falls in (q + eps, p + eps],
 * i.e. {@code floor((p + eps) * fps) > floor((q + eps) * fps)}. So each instant takes the first
 * frame at or after it, no frame is taken twice, and the first frame is always taken. eps (1 ms)
 * absorbs time-base rounding.
 */
final class FrameSampler {

  static final double EPS = 1e-3;

  private final double fps;
  private final int shorterSide;
  private final int rotation;

  FrameSampler(double fps, int shorterSide, int rotationCw) {
    this.fps = fps;
    this.shorterSide = shorterSide;
    this.rotation = rotationCw;
  }

  /** Whether the frame at {@code p} is taken after one at {@code q} (NaN: no predecessor). */
  boolean takes(double q, double p) {
    if (Double.isInfinite(fps)) {
      return true;
    }
    if (fps <= 0) {
      return false;
    }
    if (Double.isNaN(q)) {
      return true;
    }
    return Math.floor((p + EPS) * fps) > Math.floor((q + EPS) * fps);
  }

  /**
   * Scaled coded size {w, h} for a coded frame: shorter displayed side to the target, never
   * upscaled. The longer side is rounded to the nearest even number (at most one pixel off the
   * exact aspect): swscale converts odd widths on slower paths, 3.2 instead of 2.2 ms per frame
   * for 1280x720 to 597 (598) x 336, a large share of the work when sampling 1 frame per GOP.
   */
  int[] size(int w, int h) {
    int shorter = Math.min(w, h);
    if (shorterSide == 0 || shorter <= shorterSide) {
      return new int[] {w, h};
    }
    if (w == h) {
      return new int[] {shorterSide, shorterSide};
    }
    double s = (double) shorterSide / shorter;
    return w > h ? new int[] {even(w * s), shorterSide} : new int[] {shorterSide, even(h * s)};
  }

  private static int even(double x) {
    return (int) Math.max(2, 2 * Math.round(x / 2));
  }

  /** Converts the decoded frame to upright RGB at the target size. */
  VideoFrame convert(RgbScaler scaler, AVFrame f, double pts) {
    int[] sz = size(f.width(), f.height());
    byte[] rgb = scaler.toRgb(f, sz[0], sz[1]);
    if (rotation == 0) {
      return new VideoFrame(pts, sz[0], sz[1], rgb);
    }
    return rotate(pts, rgb, sz[0], sz[1], rotation);
  }

  /** Rotates packed RGB clockwise by 90, 180 or 270 degrees. */
  static VideoFrame rotate(double pts, byte[] src, int w, int h, int cw) {
    byte[] dst = new byte[src.length];
    int ow = cw == 180 ? w : h;
    int oh = cw == 180 ? h : w;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int nx;
        int ny;
        if (cw == 90) {
          nx = h - 1 - y;
          ny = x;
        } else if (cw == 180) {
          nx = w - 1 - x;
          ny = h - 1 - y;
        } else {
          nx = y;
          ny = w - 1 - x;
        }
        int s = (y * w + x) * 3;
        int d = (ny * ow + nx) * 3;
        dst[d] = src[s];
        dst[d + 1] = src[s + 1];
        dst[d + 2] = src[s + 2];
      }
    }
    return new VideoFrame(pts, ow, oh, dst);
  }
}
