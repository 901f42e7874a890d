package dev.prism.codecs.bitstream;

import dev.prism.codecs.entropy.AdaptiveFrequencyModel;
import dev.prism.codecs.entropy.FrequencyModel;

/**
 * The adaptive models a packet's codes are range-coded with, one per code position, fresh at every
 * packet. RANGE and RANGE_V2 use one (prior mass, step) pair for the whole stream. RANGE_V3 lets
 * the encoder pick, per packet and code position, one of {@link #PRESETS} (sent as
 * {@value #PRESET_BITS} raw bits each at the start of the payload): measured on the benchmark clips,
 * speech codes want a heavy prior (their codebooks were learned on speech), music codes a flat start
 * with a small step, and each residual stage its own weight. Choosing costs one ideal-code-length
 * pass per preset over the packet, a few microseconds per frame.
 *
 * <p>Against Krichevsky-Trofimov: a flat start with count 1 and step {@code s} is the Dirichlet
 * estimator with pseudo-count 1/s per symbol; KT is 1/2. For 1024-symbol codebooks and 150-750
 * codes per packet a smaller pseudo-count codes shorter (1/8 beats 1/2 by 2-3 % on the benchmark
 * clips), so the presets stay away from KT on purpose.
 */
final class AdaptiveModels {
    /** Raw bits naming a code position's preset in a RANGE_V3 adaptive payload. */
    static final int PRESET_BITS = 3;
    /**
     * RANGE_V3 (prior mass, step) presets. Mass = codebook size (1024) is a flat start: pseudo-count
     * 1/4, 1/8, 1/16 per symbol; the others weigh the training usage as mass/step coded symbols.
     */
    static final int[][] PRESETS = {{1024, 4}, {1024, 8}, {1024, 16}, {2048, 16}, {4096, 16}, {8192, 32},
            {16384, 64}, {32768, 64}};

    private final int nc;
    private final int size;
    private final long[][] usagePrior;
    private final boolean selectable;
    private final int mass;
    private final int step;

    AdaptiveModels(CodesHeader header, long[][] usagePrior) {
        this.nc = header.codesPerFrame();
        this.size = header.layout().codebookSize();
        this.usagePrior = usagePrior;
        CodesHeader.Coding c = header.coding();
        this.selectable = c == CodesHeader.Coding.RANGE_V3;
        this.step = c == CodesHeader.Coding.RANGE_V2 ? CodesHeader.V2_INCREMENT : AdaptiveFrequencyModel.defaultIncrement(size);
        this.mass = c == CodesHeader.Coding.RANGE_V2 ? CodesHeader.V2_PRIOR_MASS : FrequencyModel.MAX_TOTAL / 2;
    }

    /** Whether the payload starts with a preset per code position (RANGE_V3). */
    boolean selectable() {
        return selectable;
    }

    /** A fresh model for code position {@code k} under {@code preset} (ignored unless selectable). */
    FrequencyModel model(int k, int preset) {
        int m = selectable ? PRESETS[preset][0] : mass;
        int s = selectable ? PRESETS[preset][1] : step;
        m = Math.max(size, Math.min(m, FrequencyModel.MAX_TOTAL / 2));
        return usagePrior == null
                ? new AdaptiveFrequencyModel(size, s, FrequencyModel.MAX_TOTAL)
                : AdaptiveFrequencyModel.withPrior(usagePrior[k], m, s, FrequencyModel.MAX_TOTAL);
    }

    FrequencyModel[] models(int[] presets) {
        FrequencyModel[] out = new FrequencyModel[nc];
        for (int k = 0; k < nc; k++) {
            out[k] = model(k, presets[k]);
        }
        return out;
    }

    /** Per code position, the preset with the shortest ideal code length over this packet (all 0 unless selectable). */
    int[] choose(int[] codes, int nFrames) {
        int[] best = new int[nc];
        if (!selectable) {
            return best;
        }
        for (int k = 0; k < nc; k++) {
            double bestBits = Double.POSITIVE_INFINITY;
            for (int p = 0; p < PRESETS.length; p++) {
                double bits = positionBits(model(k, p), codes, nFrames, k);
                if (bits < bestBits) {
                    bestBits = bits;
                    best[k] = p;
                }
            }
        }
        return best;
    }

    /** Ideal code length in bits of the packet under the chosen presets, preset fields included. */
    double idealBits(int[] codes, int nFrames, int[] presets) {
        double bits = selectable ? (double) PRESET_BITS * nc : 0;
        for (int k = 0; k < nc; k++) {
            bits += positionBits(model(k, presets[k]), codes, nFrames, k);
        }
        return bits;
    }

    private double positionBits(FrequencyModel m, int[] codes, int nFrames, int k) {
        double nats = 0;
        for (int f = 0, i = k; f < nFrames; f++, i += nc) {
            nats -= Math.log((double) m.freq(codes[i]) / m.total());
            m.update(codes[i]);
        }
        return nats / Math.log(2);
    }
}
