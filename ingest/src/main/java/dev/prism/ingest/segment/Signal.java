package dev.prism.ingest.segment;

/** Control items that travel through the producer queues alongside frames and audio. */
final class Signal {

  private Signal() {}

  /** A warning to attach to the next segment. */
  record Warning(String text) {}

  /** End of a producer's output; {@code contentEndSeconds} is where its content ends (NaN unknown). */
  record End(double contentEndSeconds) {}

  /** The producer failed; the consumer rethrows. */
  record Failure(RuntimeException error) {}

  /** A chunk of resampled mono audio. */
  record Pcm(float[] pcm16k, float[] pcm24k) {}
}
