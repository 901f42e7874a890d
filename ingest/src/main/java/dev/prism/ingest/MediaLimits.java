package dev.prism.ingest;

/**
 * Limits applied to untrusted media before and during decoding. Every limit yields a
 * {@link MediaException} of kind {@code LIMIT} naming the limit and how to raise it.
 *
 * @param maxWidth largest accepted coded width in pixels
 * @param maxHeight largest accepted coded height in pixels
 * @param maxDurationSeconds longest accepted duration (container or stream)
 * @param maxStreams most streams in one container
 * @param maxFileBytes largest accepted file or remote resource
 * @param maxDecodedPixels budget of decoded luma pixels over the whole input (frames x width x height):
 *     the decompression-bomb guard for video
 * @param maxDecodedSamples budget of decoded audio samples per channel over the whole input
 * @param maxExpansionRatio decoded raw bytes per input byte above which decoding stops as a bomb,
 *     checked once {@code expansionCheckAfterBytes} raw bytes were produced
 * @param expansionCheckAfterBytes raw bytes decoded before the ratio check starts
 */
public record MediaLimits(
    int maxWidth,
    int maxHeight,
    double maxDurationSeconds,
    int maxStreams,
    long maxFileBytes,
    long maxDecodedPixels,
    long maxDecodedSamples,
    double maxExpansionRatio,
    long expansionCheckAfterBytes) {

  public MediaLimits {
    if (maxWidth <= 0 || maxHeight <= 0 || maxDurationSeconds <= 0 || maxStreams <= 0
        || maxFileBytes <= 0 || maxDecodedPixels <= 0 || maxDecodedSamples <= 0
        || maxExpansionRatio <= 0 || expansionCheckAfterBytes < 0) {
      throw new IllegalArgumentException("media limits must be positive");
    }
  }

  /** Defaults: 8192 px sides, 6 h, 64 streams, 20 GiB, 6 h of 8K60 pixels, 6 h of 192 kHz audio, 100000x expansion. */
  public static MediaLimits defaults() {
    return new MediaLimits(8192, 8192, 6 * 3600.0, 64, 20L << 30,
        8192L * 8192 * 60 * 6 * 3600, 192_000L * 6 * 3600, 100_000, 1L << 30);
  }

  public MediaLimits withMaxDimensions(int width, int height) {
    return new MediaLimits(width, height, maxDurationSeconds, maxStreams, maxFileBytes,
        maxDecodedPixels, maxDecodedSamples, maxExpansionRatio, expansionCheckAfterBytes);
  }

  public MediaLimits withMaxDurationSeconds(double seconds) {
    return new MediaLimits(maxWidth, maxHeight, seconds, maxStreams, maxFileBytes,
        maxDecodedPixels, maxDecodedSamples, maxExpansionRatio, expansionCheckAfterBytes);
  }

  public MediaLimits withMaxStreams(int streams) {
    return new MediaLimits(maxWidth, maxHeight, maxDurationSeconds, streams, maxFileBytes,
        maxDecodedPixels, maxDecodedSamples, maxExpansionRatio, expansionCheckAfterBytes);
  }

  public MediaLimits withMaxFileBytes(long bytes) {
    return new MediaLimits(maxWidth, maxHeight, maxDurationSeconds, maxStreams, bytes,
        maxDecodedPixels, maxDecodedSamples, maxExpansionRatio, expansionCheckAfterBytes);
  }

  public MediaLimits withDecodeBudget(long pixels, long samples, double expansionRatio, long checkAfterBytes) {
    return new MediaLimits(maxWidth, maxHeight, maxDurationSeconds, maxStreams, maxFileBytes,
        pixels, samples, expansionRatio, checkAfterBytes);
  }
}
