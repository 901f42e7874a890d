package dev.prism.codecs.latent;

import java.util.ArrayList;
import java.util.List;

/**
 * Analytic latent with no weights that inverts exactly: an orthonormal MDCT with N = hop
 * coefficients per frame, a 2N sine window (Princen-Bradley, so overlapping halves cancel their
 * time-domain aliasing: TDAC), 50 % overlap, followed by a fixed perceptual band weighting
 * {@code w_k = (1 + f_k / f0)^(-alpha)} with f_k the bin centre frequency. The weighting shrinks
 * high bins so that a quantizer minimising latent MSE spends its accuracy where hearing is more
 * sensitive; decode divides it out. Because the transform is orthonormal, latent squared error
 * (before weighting) equals waveform squared error.
 *
 * <p>Framing: frame t covers samples [(t-1)N, (t+1)N), samples before 0 are zero. The decoder's
 * first frame yields nothing and each later frame yields N final samples, so a stream of L samples
 * needs ceil(L/N) + 1 frames. At 24 kHz with N = 320 the frame rate is 75 Hz, EnCodec's.
 * Direct O(N^2) transform with a cached cosine table: about 0.4 M multiply-adds per frame, far
 * below the quantizer's cost.
 */
public final class MdctLatent {
    private final int sampleRate;
    private final int n;
    private final float[] window;
    private final float[] cos;        // [k * 2N + i]
    private final float[] weight;
    private final double f0;
    private final double alpha;

    /**
     * @param sampleRate Hz
     * @param hop        N, coefficients per frame
     * @param f0         weighting knee in Hz (0 disables weighting)
     * @param alpha      weighting exponent
     */
    public MdctLatent(int sampleRate, int hop, double f0, double alpha) {
        if (sampleRate < 1 || hop < 2 || hop % 2 != 0 || f0 < 0 || alpha < 0) {
            throw new IllegalArgumentException("MDCT latent needs a positive sample rate, an even hop >= 2 and"
                    + " non-negative weighting; got sr=" + sampleRate + " hop=" + hop + " f0=" + f0 + " alpha=" + alpha);
        }
        this.sampleRate = sampleRate;
        this.n = hop;
        this.f0 = f0;
        this.alpha = alpha;
        window = new float[2 * n];
        for (int i = 0; i < 2 * n; i++) {
            window[i] = (float) Math.sin(Math.PI * (i + 0.5) / (2 * n));
        }
        cos = new float[n * 2 * n];
        double scale = Math.sqrt(2.0 / n);
        for (int k = 0; k < n; k++) {
            for (int i = 0; i < 2 * n; i++) {
                cos[k * 2 * n + i] = (float) (scale * Math.cos(Math.PI / n * (i + 0.5 + n / 2.0) * (k + 0.5)));
            }
        }
        weight = new float[n];
        for (int k = 0; k < n; k++) {
            double fk = (k + 0.5) * sampleRate / (2.0 * n);
            weight[k] = f0 == 0 ? 1f : (float) Math.pow(1 + fk / f0, -alpha);
        }
    }

    /** The default: 24 kHz, hop 320 (75 Hz), weighting knee 1 kHz, exponent 0.5. */
    public static MdctLatent default24k() {
        return new MdctLatent(24_000, 320, 1000.0, 0.5);
    }

    /** The latent spec recorded in .codes headers, e.g. {@code "mdct:1000.0:0.5"}. */
    public String spec() {
        return "mdct:" + f0 + ":" + alpha;
    }

    /** Rebuilds the latent a header describes; rejects specs this class did not write. */
    public static MdctLatent fromSpec(String spec, int sampleRate, int hop) {
        String[] p = spec.split(":");
        if (p.length != 3 || !p[0].equals("mdct")) {
            throw new IllegalArgumentException("latent spec '" + spec + "' is not an MDCT latent (expected mdct:<f0>:<alpha>)");
        }
        try {
            return new MdctLatent(sampleRate, hop, Double.parseDouble(p[1]), Double.parseDouble(p[2]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("latent spec '" + spec + "' has non-numeric weighting parameters", e);
        }
    }

    public int sampleRate() {
        return sampleRate;
    }

    public int hopSize() {
        return n;
    }

    public double frameRate() {
        return (double) sampleRate / n;
    }

    public double weightingKneeHz() {
        return f0;
    }

    public double weightingExponent() {
        return alpha;
    }

    /** Perceptual weight of bin k. */
    public float weight(int k) {
        return weight[k];
    }

    /** Frames needed for {@code samples} samples. */
    public long framesFor(long samples) {
        return (samples + n - 1) / n + 1;
    }

    public LatentEncoder encoder() {
        return new Encoder();
    }

    public LatentDecoder decoder() {
        return new Decoder();
    }

    private void forward(float[] block, float[] out) {
        float[] wx = new float[2 * n];
        for (int i = 0; i < 2 * n; i++) {
            wx[i] = block[i] * window[i];
        }
        for (int k = 0; k < n; k++) {
            int base = k * 2 * n;
            float a0 = 0;
            float a1 = 0;
            for (int i = 0; i < 2 * n; i += 2) {
                a0 += wx[i] * cos[base + i];
                a1 += wx[i + 1] * cos[base + i + 1];
            }
            out[k] = (a0 + a1) * weight[k];
        }
    }

    private void inverse(float[] frame, float[] out) {
        java.util.Arrays.fill(out, 0f);
        for (int k = 0; k < n; k++) {
            float c = frame[k] / weight[k];
            int base = k * 2 * n;
            for (int i = 0; i < 2 * n; i++) {
                out[i] += c * cos[base + i];
            }
        }
        for (int i = 0; i < 2 * n; i++) {
            out[i] *= window[i];
        }
    }

    private final class Encoder implements LatentEncoder {
        private final float[] block = new float[2 * n];   // first N: previous hop, rest filling
        private int fill = n;                              // samples in block (the virtual leading zeros count)
        private boolean finished;

        @Override
        public int sampleRate() {
            return sampleRate;
        }

        @Override
        public int hopSize() {
            return n;
        }

        @Override
        public int dim() {
            return n;
        }

        @Override
        public List<float[]> push(float[] pcm, int off, int len) {
            if (finished) {
                throw new IllegalStateException("MDCT encoder already finished");
            }
            List<float[]> frames = new ArrayList<>();
            int pos = off;
            int end = off + len;
            while (pos < end) {
                int take = Math.min(end - pos, 2 * n - fill);
                System.arraycopy(pcm, pos, block, fill, take);
                fill += take;
                pos += take;
                if (fill == 2 * n) {
                    emit(frames);
                }
            }
            return frames;
        }

        private void emit(List<float[]> frames) {
            float[] frame = new float[n];
            forward(block, frame);
            frames.add(frame);
            System.arraycopy(block, n, block, 0, n);
            fill = n;
        }

        @Override
        public List<float[]> finish() {
            if (finished) {
                throw new IllegalStateException("MDCT encoder already finished");
            }
            finished = true;
            List<float[]> frames = new ArrayList<>();
            // A partial hop is zero-padded into one frame; then one all-padding frame completes the
            // overlap of the last real samples.
            boolean partial = fill > n;
            java.util.Arrays.fill(block, fill, 2 * n, 0f);
            fill = 2 * n;
            emit(frames);
            if (partial) {
                java.util.Arrays.fill(block, n, 2 * n, 0f);
                fill = 2 * n;
                emit(frames);
            }
            return frames;
        }
    }

    private final class Decoder implements LatentDecoder {
        private final float[] overlap = new float[n];
        private final float[] buf = new float[2 * n];
        private boolean first = true;

        @Override
        public int sampleRate() {
            return sampleRate;
        }

        @Override
        public int hopSize() {
            return n;
        }

        @Override
        public int dim() {
            return n;
        }

        @Override
        public float[] decode(float[] frame) {
            if (frame.length != n) {
                throw new IllegalArgumentException("MDCT frame must have " + n + " coefficients, got " + frame.length);
            }
            inverse(frame, buf);
            float[] out = new float[n];
            for (int i = 0; i < n; i++) {
                out[i] = overlap[i] + buf[i];
            }
            System.arraycopy(buf, n, overlap, 0, n);
            if (first) {
                first = false;
                return new float[0];   // samples before 0
            }
            return out;
        }

        @Override
        public float[] finish() {
            return new float[0];
        }
    }
}
