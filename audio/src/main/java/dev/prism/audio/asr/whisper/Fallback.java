package dev.prism.audio.asr.whisper;

import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;

/**
 * Whisper's quality gates (transcribe.py decode_with_fallback and the no-speech skip): a window is decoded again
 * at the next temperature when its text is too repetitive (zlib compression ratio above the threshold) or its
 * average log probability too low, unless it looks like silence; a window is skipped (no words) when the
 * no-speech probability is above its threshold and the average log probability does not vouch for the text.
 */
public final class Fallback {
    private Fallback() {
    }

    /**
     * UTF-8 bytes / zlib-compressed bytes of text, as Whisper's compression_ratio (Python's zlib.compress, default
     * level, zlib header and checksum included); 0 for empty text.
     */
    public static double compressionRatio(String text) {
        byte[] in = text.getBytes(StandardCharsets.UTF_8);
        if (in.length == 0) {
            return 0;
        }
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION);
        try {
            d.setInput(in);
            d.finish();
            byte[] buf = new byte[in.length + 64];
            int n = 0;
            while (!d.finished()) {
                n += d.deflate(buf, n, buf.length - n);
                if (n == buf.length) {
                    buf = java.util.Arrays.copyOf(buf, buf.length * 2);
                }
            }
            return (double) in.length / n;
        } finally {
            d.end();
        }
    }

    /** Whether to decode the window again at the next temperature. */
    public static boolean needsFallback(DecodeResult r, WhisperOptions o) {
        boolean retry = !Double.isNaN(o.compressionRatioThreshold()) && r.compressionRatio() > o.compressionRatioThreshold();
        if (!Double.isNaN(o.logprobThreshold()) && r.avgLogprob() < o.logprobThreshold()) {
            retry = true;
        }
        if (isSilence(r, o) && !Double.isNaN(o.logprobThreshold()) && r.avgLogprob() < o.logprobThreshold()) {
            retry = false;
        }
        return retry;
    }

    /** Whether the final result of a window is treated as no speech (its words dropped). */
    public static boolean skip(DecodeResult r, WhisperOptions o) {
        boolean skip = isSilence(r, o);
        if (!Double.isNaN(o.logprobThreshold()) && r.avgLogprob() > o.logprobThreshold()) {
            skip = false;
        }
        return skip;
    }

    private static boolean isSilence(DecodeResult r, WhisperOptions o) {
        return !Double.isNaN(o.noSpeechThreshold()) && r.noSpeechProb() > o.noSpeechThreshold();
    }
}
