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
 * Fold + DCT-IV with a cached N x N table: 0.1 M multiply-adds per frame each way, in vectorised
 * row sweeps, well below the quantizer's cost.
 */
public final class MdctLatent implements LatentModel {
    private final int sampleRate;
    private final int n;
    private final float[] window;
    private final float[][] dct4;     // [k][m], symmetric orthonormal DCT-IV; one array per row for the vector sweep
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
        dct4 = new float[n][n];
        double scale = Math.sqrt(2.0 / n);
        for (int k = 0; k < n; k++) {
            for (int m = 0; m < n; m++) {
                dct4[k][m] = (float) (scale * Math.cos(Math.PI / n * (m + 0.5) * (k + 0.5)));
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
    @Override
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

    @Override
    public int sampleRate() {
        return sampleRate;
    }

    @Override
    public int hopSize() {
        return n;
    }

    /** One MDCT coefficient per hop sample. */
    @Override
    public int dim() {
        return n;
    }

    @Override
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

    @Override
    public LatentEncoder encoder() {
        return new Encoder();
    }

    @Override
    public LatentDecoder decoder() {
        return new Decoder();
    }

    /**
     * MDCT as a fold to N samples followed by a DCT-IV (half the multiply-adds of the direct 2N x N
     * sum): with h = N/2, u[m] = -z[3h-1-m] - z[3h+m] for m < h and z[m-h] - z[3h-1-m] otherwise,
     * z the windowed block; X = DCT-IV(u).
     */
    private void forward(float[] block, float[] out) {
        int h = n / 2;
        float[] u = new float[n];
        for (int m = 0; m < h; m++) {
            u[m] = -block[3 * h - 1 - m] * window[3 * h - 1 - m] - block[3 * h + m] * window[3 * h + m];
        }
        for (int m = h; m < n; m++) {
            u[m] = block[m - h] * window[m - h] - block[3 * h - 1 - m] * window[3 * h - 1 - m];
        }
        dct4(u, out);
        for (int k = 0; k < n; k++) {
            out[k] *= weight[k];
        }
    }

    /** IMDCT: v = DCT-IV(X) (the DCT-IV is its own inverse), unfolded to 2N samples and windowed. */
    private void inverse(float[] frame, float[] out) {
        int h = n / 2;
        float[] c = new float[n];
        for (int k = 0; k < n; k++) {
            c[k] = frame[k] / weight[k];
        }
        float[] v = new float[n];
        dct4(c, v);
        for (int i = 0; i < h; i++) {
            out[i] = v[i + h] * window[i];
        }
        for (int i = h; i < 3 * h; i++) {
            out[i] = -v[3 * h - 1 - i] * window[i];
        }
        for (int i = 3 * h; i < 2 * n; i++) {
            out[i] = -v[i - 3 * h] * window[i];
        }
    }

    /**
     * {@code out = D x} for the symmetric DCT-IV matrix D, as a sum of scaled rows (row m of D is its
     * column m): each step is a unit-stride multiply-add over one row array, which the JIT vectorises,
     * about 8x faster than one scalar dot product per output.
     */
    private void dct4(float[] x, float[] out) {
        java.util.Arrays.fill(out, 0, n, 0f);
        for (int m = 0; m < n; m++) {
            final float xm = x[m];
            if (xm == 0f) {
                continue;   // zero padding and silent blocks
            }
            final float[] row = dct4[m];
            for (int k = 0; k < n; k++) {
                out[k] += xm * row[k];
            }
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
