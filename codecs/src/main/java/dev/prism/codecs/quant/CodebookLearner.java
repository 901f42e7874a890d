package dev.prism.codecs.quant;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Learns codebooks in Java: k-means++ seeding, Lloyd iterations, then the EMA variant of
 * ALGORITHMS.md 5.4 / 7.2 (cluster-size EMA with Laplace smoothing, codeword = EMA sum / smoothed
 * size, dead codes below the threshold replaced by random batch vectors).
 *
 * <p>Deliberate deviations, both stated because the reference code differs: the EMA sum starts at
 * centroid x count (the reference starts it at the centroid alone, which mis-scales the first
 * updates), and a replaced dead code restarts its EMA at the threshold count so it is not replaced
 * again before it can attract vectors. Residual quantizers are learned greedily stage by stage on
 * the previous stages' residuals (the encoder here is fixed, so joint training has nothing to add).
 */
public final class CodebookLearner {
    private final LearningParams params;

    public CodebookLearner(LearningParams params) {
        this.params = params;
    }

    /** Learns an RVQ of {@code stages} codebooks of {@code size} entries on {@code n} vectors of {@code dim}. */
    public ResidualVectorQuantizer learnRvq(float[] data, int n, int dim, int stages, int size) {
        float[] residual = Arrays.copyOf(data, n * dim);
        List<Codebook> books = learnStages(residual, n, dim, stages, size, params.seed());
        return new ResidualVectorQuantizer(books);
    }

    /** Learns a GRVQ: one greedy RVQ per group on that group's sub-vectors; codes stage-major. */
    public GroupResidualQuantizer learnGrvq(float[] data, int n, int dim, int groups, int stages, int size) {
        if (dim % groups != 0) {
            throw new IllegalArgumentException("latent dim " + dim + " does not split into " + groups + " groups");
        }
        int gdim = dim / groups;
        List<List<Codebook>> perGroup = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            float[] sub = new float[n * gdim];
            for (int i = 0; i < n; i++) {
                System.arraycopy(data, i * dim + g * gdim, sub, i * gdim, gdim);
            }
            perGroup.add(learnStages(sub, n, gdim, stages, size, params.seed() + 7919L * (g + 1)));
        }
        List<Codebook> ordered = new ArrayList<>();
        for (int s = 0; s < stages; s++) {
            for (int g = 0; g < groups; g++) {
                ordered.add(perGroup.get(g).get(s));
            }
        }
        return new GroupResidualQuantizer(groups, ordered);
    }

    private List<Codebook> learnStages(float[] residual, int n, int dim, int stages, int size, long seed) {
        List<Codebook> books = new ArrayList<>();
        int[] assign = new int[n];
        for (int s = 0; s < stages; s++) {
            Codebook cb = learn(residual, n, dim, size, seed + 31L * s);
            assignAll(cb, residual, n, assign);
            for (int i = 0; i < n; i++) {
                cb.subtractFrom(assign[i], residual, i * dim);
            }
            books.add(cb);
        }
        return books;
    }

    /** One codebook on {@code n} vectors (row-major in {@code data}). */
    public Codebook learn(float[] data, int n, int dim, int size, long seed) {
        if (n < 1) {
            throw new IllegalArgumentException("no training vectors");
        }
        Random rnd = new Random(seed);
        int sampleN = Math.min(n, params.initSample());
        float[] sample = sampleRows(data, n, dim, sampleN, rnd);
        float[] centers = kmeansPlusPlus(sample, sampleN, dim, size, rnd);
        Codebook cb = new Codebook(size, dim, centers);
        int[] assign = new int[sampleN];
        double[] counts = new double[size];
        for (int it = 0; it < params.kmeansIters(); it++) {
            assignAll(cb, sample, sampleN, assign);
            lloydUpdate(cb, sample, sampleN, assign, counts, rnd);
        }
        assignAll(cb, sample, sampleN, assign);
        double[] clusterSize = new double[size];
        for (int a : assign) {
            clusterSize[a] += 1.0 * n / sampleN;
        }
        double[] embedSum = new double[size * dim];
        for (int k = 0; k < size; k++) {
            for (int d = 0; d < dim; d++) {
                embedSum[k * dim + d] = (double) cb.data()[k * dim + d] * clusterSize[k];
            }
        }
        emaTrain(cb, data, n, dim, clusterSize, embedSum, rnd);
        return cb;
    }

    private void emaTrain(Codebook cb, float[] data, int n, int dim, double[] clusterSize, double[] embedSum, Random rnd) {
        int size = cb.size();
        double decay = params.decay();
        int batch = Math.min(n, params.batchSize());
        int[] assign = new int[batch];
        float[] batchData = new float[batch * dim];
        double[] bCount = new double[size];
        double[] bSum = new double[size * dim];
        for (int epoch = 0; epoch < params.emaEpochs(); epoch++) {
            for (int start = 0; start + batch <= n; start += batch) {
                System.arraycopy(data, start * dim, batchData, 0, batch * dim);
                assignAll(cb, batchData, batch, assign);
                Arrays.fill(bCount, 0);
                Arrays.fill(bSum, 0);
                for (int i = 0; i < batch; i++) {
                    int a = assign[i];
                    bCount[a]++;
                    for (int d = 0; d < dim; d++) {
                        bSum[a * dim + d] += batchData[i * dim + d];
                    }
                }
                double total = 0;
                for (int k = 0; k < size; k++) {
                    clusterSize[k] = decay * clusterSize[k] + (1 - decay) * bCount[k];
                    total += clusterSize[k];
                }
                for (int j = 0; j < embedSum.length; j++) {
                    embedSum[j] = decay * embedSum[j] + (1 - decay) * bSum[j];
                }
                float[] e = cb.data();
                for (int k = 0; k < size; k++) {
                    double smoothed = (clusterSize[k] + params.epsilon()) / (total + size * params.epsilon()) * total;
                    if (clusterSize[k] < params.deadThreshold()) {
                        int src = rnd.nextInt(batch);
                        for (int d = 0; d < dim; d++) {
                            e[k * dim + d] = batchData[src * dim + d];
                            embedSum[k * dim + d] = (double) e[k * dim + d] * params.deadThreshold();
                        }
                        clusterSize[k] = params.deadThreshold();
                    } else {
                        for (int d = 0; d < dim; d++) {
                            e[k * dim + d] = (float) (embedSum[k * dim + d] / smoothed);
                        }
                    }
                }
                cb.refreshNorms();
            }
        }
    }

    private static void lloydUpdate(Codebook cb, float[] x, int n, int[] assign, double[] counts, Random rnd) {
        int dim = cb.dim();
        int size = cb.size();
        double[] sums = new double[size * dim];
        Arrays.fill(counts, 0);
        for (int i = 0; i < n; i++) {
            int a = assign[i];
            counts[a]++;
            for (int d = 0; d < dim; d++) {
                sums[a * dim + d] += x[i * dim + d];
            }
        }
        float[] e = cb.data();
        for (int k = 0; k < size; k++) {
            if (counts[k] == 0) {
                // An empty cluster restarts at a random sample, as the dead-code rule does.
                System.arraycopy(x, rnd.nextInt(n) * dim, e, k * dim, dim);
            } else {
                for (int d = 0; d < dim; d++) {
                    e[k * dim + d] = (float) (sums[k * dim + d] / counts[k]);
                }
            }
        }
        cb.refreshNorms();
    }

    static void assignAll(Codebook cb, float[] x, int n, int[] assign) {
        int dim = cb.dim();
        int block = 64;
        IntStream.range(0, (n + block - 1) / block).parallel().forEach(b -> {
            int start = b * block;
            cb.nearestBatch(x, start * dim, dim, Math.min(block, n - start), assign, start, 1);
        });
    }

    private static float[] sampleRows(float[] data, int n, int dim, int m, Random rnd) {
        if (m == n) {
            return Arrays.copyOf(data, n * dim);
        }
        int[] idx = IntStream.range(0, n).toArray();
        for (int i = 0; i < m; i++) {
            int j = i + rnd.nextInt(n - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        float[] out = new float[m * dim];
        for (int i = 0; i < m; i++) {
            System.arraycopy(data, idx[i] * dim, out, i * dim, dim);
        }
        return out;
    }

    /** k-means++ seeding: each new center drawn with probability proportional to squared distance. */
    private static float[] kmeansPlusPlus(float[] x, int n, int dim, int size, Random rnd) {
        float[] centers = new float[size * dim];
        double[] dist = new double[n];
        Arrays.fill(dist, Double.POSITIVE_INFINITY);
        int first = rnd.nextInt(n);
        System.arraycopy(x, first * dim, centers, 0, dim);
        for (int k = 1; k <= size; k++) {
            final int c = k - 1;
            IntStream.range(0, n).parallel().forEach(i -> {
                double s = 0;
                for (int d = 0; d < dim; d++) {
                    double diff = x[i * dim + d] - centers[c * dim + d];
                    s += diff * diff;
                }
                if (s < dist[i]) {
                    dist[i] = s;
                }
            });
            // Summed sequentially so that learning is bit-for-bit deterministic for a seed.
            double total = 0;
            for (int i = 0; i < n; i++) {
                total += dist[i];
            }
            if (k == size) {
                break;
            }
            int pick;
            if (total <= 0) {
                pick = rnd.nextInt(n);   // fewer distinct vectors than codes: duplicates are harmless
            } else {
                double target = rnd.nextDouble() * total;
                pick = n - 1;
                double acc = 0;
                for (int i = 0; i < n; i++) {
                    acc += dist[i];
                    if (acc >= target) {
                        pick = i;
                        break;
                    }
                }
            }
            System.arraycopy(x, pick * dim, centers, k * dim, dim);
        }
        return centers;
    }
}
