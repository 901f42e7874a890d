package dev.prism.codecs.quant;

/**
 * Codebook-learning settings. Defaults are the EMA variant of ALGORITHMS.md 5.4 / 7.2: decay 0.99,
 * Laplace epsilon 1e-5, dead-code threshold 2 (EMA count), k-means init with 50 iterations.
 *
 * @param decay           EMA decay of cluster sizes and codeword sums
 * @param epsilon         Laplace smoothing of cluster sizes
 * @param deadThreshold   codes whose EMA count falls below this are replaced by random batch vectors
 * @param kmeansIters     Lloyd iterations after k-means++ seeding (spec: 50)
 * @param initSample      at most this many vectors seed k-means (k-means++ costs size x sample x dim)
 * @param batchSize       vectors per EMA step; the dead-code threshold only makes sense when this is
 *                        well above 2 x codebook size, as in the reference training batches
 * @param emaEpochs       passes of EMA updates over all vectors after k-means
 * @param seed            makes learning deterministic
 */
public record LearningParams(double decay, double epsilon, double deadThreshold, int kmeansIters, int initSample,
                             int batchSize, int emaEpochs, long seed) {
    public LearningParams {
        if (!(decay > 0 && decay < 1) || !(epsilon > 0) || deadThreshold < 0 || kmeansIters < 0 || initSample < 1
                || batchSize < 1 || emaEpochs < 0) {
            throw new IllegalArgumentException("invalid codebook learning parameters: " + this);
        }
    }

    /** The spec's values with a 16k-vector k-means sample, 8192-vector batches and 2 EMA epochs. */
    public static LearningParams defaults() {
        return new LearningParams(0.99, 1e-5, 2.0, 50, 16_384, 8_192, 2, 1234L);
    }

    public LearningParams withKmeansIters(int iters) {
        return new LearningParams(decay, epsilon, deadThreshold, iters, initSample, batchSize, emaEpochs, seed);
    }

    public LearningParams withInitSample(int n) {
        return new LearningParams(decay, epsilon, deadThreshold, kmeansIters, n, batchSize, emaEpochs, seed);
    }

    public LearningParams withEmaEpochs(int n) {
        return new LearningParams(decay, epsilon, deadThreshold, kmeansIters, initSample, batchSize, n, seed);
    }

    public LearningParams withSeed(long s) {
        return new LearningParams(decay, epsilon, deadThreshold, kmeansIters, initSample, batchSize, emaEpochs, s);
    }
}
