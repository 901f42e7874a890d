package dev.prism.codecs.latent;

import java.util.ArrayList;
import java.util.List;

/**
 * EnCodec's segmenting and normalisation for the 48 kHz model (ALGORITHMS.md 7.3), for neural
 * encoders plugged in through {@link LatentEncoder}: segments of {@code segmentSeconds} (1.0 s),
 * stride int(0.99 x segment length), per-segment scale sqrt(mean(mono^2)) + 1e-8 (mono = channel
 * mean), the encoder sees x / scale; decoded segments are multiplied back and reassembled by
 * linear overlap-add with triangle weights w(t) = 0.5 - |t - 0.5|, t = linspace(0, 1, n + 2)[1:-1],
 * output = sum(w * frame) / sum(w).
 */
public final class EncodecSegmenter {
    private final int length;
    private final int stride;

    public EncodecSegmenter(int sampleRate, double segmentSeconds, double overlap) {
        this.length = (int) (segmentSeconds * sampleRate);
        this.stride = Math.max(1, (int) ((1 - overlap) * length));
        if (length < 1) {
            throw new IllegalArgumentException("segment of " + segmentSeconds + " s at " + sampleRate + " Hz is empty");
        }
    }

    /** EnCodec 48 kHz: 1 s segments with 1 % overlap (stride 47 520). */
    public static EncodecSegmenter encodec48k() {
        return new EncodecSegmenter(48_000, 1.0, 0.01);
    }

    public int segmentLength() {
        return length;
    }

    public int stride() {
        return stride;
    }

    /** One normalised segment: {@code channels[c]} already divided by {@code scale}. */
    public record Segment(int offset, float[][] channels, float scale) {
    }

    /** Splits {@code channels[c][t]} into normalised segments (the last one may be shorter). */
    public List<Segment> split(float[][] channels) {
        int total = channels[0].length;
        List<Segment> out = new ArrayList<>();
        for (int off = 0; off < total; off += stride) {
            int n = Math.min(length, total - off);
            double sum = 0;
            for (int t = 0; t < n; t++) {
                double mono = 0;
                for (float[] ch : channels) {
                    mono += ch[off + t];
                }
                mono /= channels.length;
                sum += mono * mono;
            }
            float scale = (float) (Math.sqrt(sum / n) + 1e-8);
            float[][] seg = new float[channels.length][n];
            for (int c = 0; c < channels.length; c++) {
                for (int t = 0; t < n; t++) {
                    seg[c][t] = channels[c][off + t] / scale;
                }
            }
            out.add(new Segment(off, seg, scale));
            if (off + n >= total) {
                break;
            }
        }
        return out;
    }

    /** Scales decoded segments back and overlap-adds them into {@code totalLength} samples per channel. */
    public float[][] overlapAdd(List<Segment> decoded, int totalLength) {
        int nch = decoded.get(0).channels().length;
        double[][] acc = new double[nch][totalLength];
        double[] wsum = new double[totalLength];
        for (Segment s : decoded) {
            int n = s.channels()[0].length;
            for (int t = 0; t < n && s.offset() + t < totalLength; t++) {
                double u = (t + 1.0) / (n + 1.0);   // linspace(0, 1, n + 2)[1:-1]
                double w = 0.5 - Math.abs(u - 0.5);
                wsum[s.offset() + t] += w;
                for (int c = 0; c < nch; c++) {
                    acc[c][s.offset() + t] += w * s.channels()[c][t] * s.scale();
                }
            }
        }
        float[][] out = new float[nch][totalLength];
        for (int c = 0; c < nch; c++) {
            for (int t = 0; t < totalLength; t++) {
                out[c][t] = wsum[t] == 0 ? 0f : (float) (acc[c][t] / wsum[t]);
            }
        }
        return out;
    }
}
