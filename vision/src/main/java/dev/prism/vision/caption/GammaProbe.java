package dev.prism.vision.caption;

import dev.prism.llm.generate.CachePolicy;
import dev.prism.llm.generate.DecoderModel;
import dev.prism.llm.generate.GenerationOptions;
import dev.prism.llm.generate.Generator;
import dev.prism.llm.generate.PrefillLayer;
import dev.prism.llm.generate.TokenListener;
import dev.prism.llm.vlm.Prompt;

/**
 * Logs PLPHP's vision attention ratio gamma_l (ALGORITHMS.md 2.1 step 1: head-mean share of the last prompt token's
 * attention that goes to the vision span) for every layer >= K of one unpruned prefill, for calibration (2.3).
 */
final class GammaProbe implements CachePolicy {
    private final int firstLayer;
    private final int[] visionPositions;
    private final double[] gammas;

    private GammaProbe(int layers, int firstLayer, int[] visionPositions) {
        this.firstLayer = firstLayer;
        this.visionPositions = visionPositions;
        this.gammas = new double[Math.max(0, layers - firstLayer)];
    }

    static double[] gammas(DecoderModel dec, Prompt p, int firstLayer) {
        int layers = dec.spec().layers();
        CaptionException.check(firstLayer >= 0 && firstLayer < layers, "PLPHP first layer " + firstLayer
                + " is outside the decoder's " + layers + " layers");
        GammaProbe probe = new GammaProbe(layers, firstLayer, p.visionPositions());
        new Generator(dec, null, false).generate(p.embeddings(), p.length(), GenerationOptions.greedy(1), probe,
                TokenListener.NONE);
        return probe.gammas;
    }

    @Override
    public int[] prefillProbeRows(int layer, int seqLen) {
        return layer >= firstLayer ? new int[] {seqLen - 1} : null;
    }

    @Override
    public void afterPrefillLayer(PrefillLayer layer) {
        if (layer.layer() < firstLayer) {
            return;
        }
        float[][][] probs = layer.probs();
        float[][] last = new float[probs.length][];
        for (int h = 0; h < probs.length; h++) {
            last[h] = probs[h][0];
        }
        // over the vision tokens themselves: Idefics3's tile markup inside the span is not vision (as in PlphpPolicy)
        double sum = 0;
        for (float[] row : last) {
            double v = 0;
            double all = 0;
            for (float x : row) {
                all += x;
            }
            for (int j : visionPositions) {
                v += row[j];
            }
            sum += all > 0 ? v / all : 0;
        }
        gammas[layer.layer() - firstLayer] = sum / last.length;
    }
}
