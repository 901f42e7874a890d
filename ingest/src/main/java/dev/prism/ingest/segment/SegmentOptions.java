package dev.prism.ingest.segment;

import dev.prism.ingest.MediaLimits;

/**
 * How to cut and sample.
 *
 * @param segmentSeconds slice length (default 2 s)
 * @param framesPerSecond sampled frames per second (default 1; 0 = no frames;
 *     {@code Double.POSITIVE_INFINITY} = every decoded frame)
 * @param shorterSide target length of the shorter side in pixels, aspect kept, never upscaled
 *     (default 336; 0 = native size)
 * @param audio whether to decode and resample audio
 * @param mode decoding strategy
 * @param workers decoding threads for {@link DecodeMode#INDEXED} (default: available processors)
 * @param queueSegments segments' worth of frames and audio buffered ahead of the consumer
 * @param limits limits for untrusted input
 */
public record SegmentOptions(double segmentSeconds, double framesPerSecond, int shorterSide, boolean audio,
    DecodeMode mode, int workers, int queueSegments, MediaLimits limits) {

  public SegmentOptions {
    if (!(segmentSeconds > 0) || framesPerSecond < 0 || Double.isNaN(framesPerSecond) || shorterSide < 0
        || workers < 1 || queueSegments < 1) {
      throw new IllegalArgumentException("invalid segment options");
    }
  }

  public static SegmentOptions defaults() {
    return new SegmentOptions(2.0, 1.0, 336, true, DecodeMode.AUTO,
        Math.max(1, Runtime.getRuntime().availableProcessors()), 3, MediaLimits.defaults());
  }

  public SegmentOptions withSegmentSeconds(double s) {
    return new SegmentOptions(s, framesPerSecond, shorterSide, audio, mode, workers, queueSegments, limits);
  }

  public SegmentOptions withFramesPerSecond(double fps) {
    return new SegmentOptions(segmentSeconds, fps, shorterSide, audio, mode, workers, queueSegments, limits);
  }

  public SegmentOptions withShorterSide(int px) {
    return new SegmentOptions(segmentSeconds, framesPerSecond, px, audio, mode, workers, queueSegments, limits);
  }

  public SegmentOptions withAudio(boolean a) {
    return new SegmentOptions(segmentSeconds, framesPerSecond, shorterSide, a, mode, workers, queueSegments, limits);
  }

  public SegmentOptions withMode(DecodeMode m, int w) {
    return new SegmentOptions(segmentSeconds, framesPerSecond, shorterSide, audio, m, w, queueSegments, limits);
  }

  public SegmentOptions withLimits(MediaLimits l) {
    return new SegmentOptions(segmentSeconds, framesPerSecond, shorterSide, audio, mode, workers, queueSegments, l);
  }
}
