package dev.prism.codecs.gaussian;

/**
 * QUEEN's per-attribute latent decoder (ALGORITHMS.md 8.1 "Decoding a latent", NVlabs/queen
 * {@code scene/decoders.py :: DecoderLayer, get_dft_matrix}): attribute = (round(latent) / div) * W + b with
 * W of shape [latentDim, featureDim]. The "dft" variant (opacity) uses the fixed DCT-II basis
 * D[i, j] = cos(pi / F * (i + 0.5) * j) / sqrt(F), times sqrt(2) for j > 0, with F = featureDim as the spec writes
 * it, scaled per output column by a learnable factor. Trained W, b come from an external trainer; the CPU stream
 * ({@link QueenEncoder}) uses the identity decoder W = step * I, b = 0, the spec's named approximation.
 */
public final class LatentDecoder {
    private final int latentDim;
    private final int featureDim;
    private final float[] w;
    private final float[] b;
    private final float div;

    public LatentDecoder(int latentDim, int featureDim, float[] w, float[] b, float div) {
        if (latentDim < 1 || featureDim < 1) throw new IllegalArgumentException("latent and feature dims must be >= 1");
        if (w.length != latentDim * featureDim || b.length != featureDim) {
            throw new IllegalArgumentException("W must be " + latentDim + "x" + featureDim + " and b " + featureDim + " long");
        }
        if (!(div > 0)) throw new IllegalArgumentException("div must be > 0, got " + div);
        this.latentDim = latentDim;
        this.featureDim = featureDim;
        this.w = w.clone();
        this.b = b.clone();
        this.div = div;
    }

    /** The identity decoder with a fixed step: attribute = round(latent) * step. */
    public static LatentDecoder identity(int dim, float step) {
        float[] w = new float[dim * dim];
        for (int i = 0; i < dim; i++) w[i * dim + i] = step;
        return new LatentDecoder(dim, dim, w, new float[dim], 1f);
    }

    /** The fixed DCT-II basis D (latentDim x featureDim) before the per-output scale. */
    public static float[] dctBasis(int latentDim, int featureDim) {
        float[] d = new float[latentDim * featureDim];
        double f = featureDim;
        for (int i = 0; i < latentDim; i++) {
            for (int j = 0; j < featureDim; j++) {
                double v = Math.cos(Math.PI / f * (i + 0.5) * j) / Math.sqrt(f);
                d[i * featureDim + j] = (float) (j > 0 ? v * Math.sqrt(2) : v);
            }
        }
        return d;
    }

    /** The "dft" decoder: W = D with column j multiplied by scale[j]. */
    public static LatentDecoder dct(int latentDim, int featureDim, float[] scale, float[] b) {
        if (scale.length != featureDim) throw new IllegalArgumentException("one scale per output feature: " + featureDim);
        float[] d = dctBasis(latentDim, featureDim);
        for (int i = 0; i < latentDim; i++) for (int j = 0; j < featureDim; j++) d[i * featureDim + j] *= scale[j];
        return new LatentDecoder(latentDim, featureDim, d, b, 1f);
    }

    public int latentDim() {
        return latentDim;
    }

    public int featureDim() {
        return featureDim;
    }

    /** Decodes count latent rows (row-major [count, latentDim]) into [count, featureDim]. */
    public float[] decode(float[] latents, int count) {
        if (latents.length != count * latentDim) throw new IllegalArgumentException("expected " + count * latentDim + " latents, got " + latents.length);
        float[] out = new float[count * featureDim];
        for (int n = 0; n < count; n++) {
            for (int j = 0; j < featureDim; j++) {
                double s = b[j];
                for (int i = 0; i < latentDim; i++) s += Math.rint(latents[n * latentDim + i]) / div * w[i * featureDim + j];
                out[n * featureDim + j] = (float) s;
            }
        }
        return out;
    }

    /** QUEEN's {@code sq_res}: attribute_t = previous decoded + decode(round(latent_t)). */
    public float[] decodeResidual(float[] previous, float[] latents, int count) {
        float[] d = decode(latents, count);
        if (previous.length != d.length) throw new IllegalArgumentException("previous attribute has " + previous.length + " values, expected " + d.length);
        for (int k = 0; k < d.length; k++) d[k] += previous[k];
        return d;
    }
}
