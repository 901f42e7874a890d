package dev.prism.ingest.segment;

import dev.prism.ingest.MediaException;
import dev.prism.ingest.MediaException.Kind;
import dev.prism.ingest.MediaLimits;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The decompression-bomb guard: counts decoded pixels, samples and raw bytes against the input
 * bytes read, across all decoding threads of one reader, and stops decoding past a limit.
 */
final class DecodeBudget {

  private final MediaLimits limits;
  private final String input;
  private final AtomicLong pixels = new AtomicLong();
  private final AtomicLong samples = new AtomicLong();
  private final AtomicLong raw = new AtomicLong();
  private final AtomicLong input_ = new AtomicLong();

  DecodeBudget(MediaLimits limits, String input) {
    this.limits = limits;
    this.input = input;
  }

  void inputBytes(long n) {
    input_.addAndGet(n);
  }

  void videoFrame(int width, int height) {
    if (width > limits.maxWidth() || height > limits.maxHeight()) {
      throw new MediaException(Kind.LIMIT, input, "a decoded frame is " + width + "x" + height + ", over the limit of "
          + limits.maxWidth() + "x" + limits.maxHeight() + "; downscale it first or raise maxWidth/maxHeight");
    }
    long px = (long) width * height;
    if (pixels.addAndGet(px) > limits.maxDecodedPixels()) {
      throw new MediaException(Kind.LIMIT, input, "decoded video exceeds the budget of " + limits.maxDecodedPixels()
          + " pixels (a decompression bomb or an extremely long input); raise maxDecodedPixels if it is legitimate");
    }
    expansion(px * 3 / 2);
  }

  void audioSamples(int perChannel, int channels) {
    if (samples.addAndGet(perChannel) > limits.maxDecodedSamples()) {
      throw new MediaException(Kind.LIMIT, input, "decoded audio exceeds the budget of " + limits.maxDecodedSamples()
          + " samples per channel; raise maxDecodedSamples if it is legitimate");
    }
    expansion((long) perChannel * Math.max(1, channels) * 2);
  }

  private void expansion(long bytes) {
    long r = raw.addAndGet(bytes);
    long in = Math.max(1, input_.get());
    if (r > limits.expansionCheckAfterBytes() && r / (double) in > limits.maxExpansionRatio()) {
      throw new MediaException(Kind.LIMIT, input, String.format(java.util.Locale.ROOT,
          "decoding expands %d input bytes into %d raw bytes (ratio %.0f, limit %.0f): refused as a decompression bomb;"
              + " raise maxExpansionRatio if the input is legitimate", in, r, r / (double) in, limits.maxExpansionRatio()));
    }
  }
}
