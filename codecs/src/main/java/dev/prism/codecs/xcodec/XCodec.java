package dev.prism.codecs.xcodec;

import dev.prism.codecs.latent.LatentDecoder;
import dev.prism.codecs.latent.LatentEncoder;
import dev.prism.codecs.quant.ResidualVectorQuantizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * X-Codec fusion (ALGORITHMS.md 6.1): per frame, the acoustic latent (D_a) and the averaged
 * semantic hidden states (D_s) are concatenated, projected by fc_prior (D_a + D_s -> D_f), quantized
 * by RVQ with n_q from the bandwidth rule (6.2), and decoded through fc_post2 (D_f -> D_a) and the
 * acoustic decoder only; the semantic branch is not needed to decode.
 *
 * <p>Frame alignment. The teacher must run at the acoustic sample rate with the acoustic hop as its
 * stride and a 400-sample receptive field after the 160-sample padding (HuBERT-base at 16 kHz), so
 * teacher frame t covers original samples [hop*t - 160, hop*t + 240). Where the acoustic encoder
 * yields more frames than the padded waveform gives the teacher (the MDCT latent's last frame
 * reaches past the end), the zero padding is extended, which is exactly what a longer pad would
 * feed the teacher; this replaces the reference's re-encode of the padded waveform, which is
 * specific to the DAC encoder's framing. Streaming runs the teacher on the new frames plus
 * {@code contextSamples} of history: identical to whole-utterance encoding for frame-local
 * teachers, an approximation for transformers with global attention.
 */
public final class XCodec {
    private static final int RECEPTIVE = 400;

    private final Supplier<LatentEncoder> acousticEncoder;
    private final Supplier<LatentDecoder> acousticDecoder;
    private final SemanticEncoder semantic;
    private final Linear fcPrior;
    private final ResidualVectorQuantizer rvq;
    private final Linear fcPost2;
    private final int contextSamples;
    private final int hop;
    private final int acousticDim;

    public XCodec(Supplier<LatentEncoder> acousticEncoder, Supplier<LatentDecoder> acousticDecoder, SemanticEncoder semantic,
                  Linear fcPrior, ResidualVectorQuantizer rvq, Linear fcPost2, int contextSamples) {
        LatentEncoder probe = acousticEncoder.get();
        this.hop = probe.hopSize();
        this.acousticDim = probe.dim();
        if (probe.sampleRate() != semantic.sampleRate()) {
            throw new IllegalArgumentException("semantic teacher runs at " + semantic.sampleRate()
                    + " Hz but the acoustic encoder at " + probe.sampleRate() + " Hz; resample one of them");
        }
        if (fcPrior.in() != acousticDim + semantic.dim() || fcPrior.out() != rvq.dim() || fcPost2.in() != rvq.dim()
                || fcPost2.out() != acousticDim) {
            throw new IllegalArgumentException("X-Codec shapes disagree: acoustic " + acousticDim + " + semantic "
                    + semantic.dim() + " -> fc_prior " + fcPrior.in() + "->" + fcPrior.out() + " -> RVQ dim " + rvq.dim()
                    + " -> fc_post2 " + fcPost2.in() + "->" + fcPost2.out());
        }
        this.acousticEncoder = acousticEncoder;
        this.acousticDecoder = acousticDecoder;
        this.semantic = semantic;
        this.fcPrior = fcPrior;
        this.rvq = rvq;
        this.fcPost2 = fcPost2;
        this.contextSamples = (Math.max(0, contextSamples) + hop - 1) / hop * hop;
    }

    public double frameRate() {
        return (double) semantic.sampleRate() / hop;
    }

    /** n_q = max(1, floor(kbps*1000 / (10 * frame rate))): at 50 Hz {0.5:1, 1:2, 1.5:3, 2:4, 4:8}. */
    public int numQuantizers(double kbps) {
        return Math.min(rvq.numCodebooks(), ResidualVectorQuantizer.numQuantizersForBandwidth(kbps, frameRate(), 10));
    }

    /** Codes {@code [frames][nq]} of a whole utterance (the one-chunk case of the stream encoder). */
    public int[][] encode(float[] waveform, int nq) {
        StreamEncoder enc = newEncoder(nq);
        List<int[]> out = new ArrayList<>(enc.push(waveform, 0, waveform.length));
        out.addAll(enc.finish());
        return out.toArray(new int[0][]);
    }

    /** Waveform from codes, trimmed to {@code samples}. */
    public float[] decode(int[][] codes, int samples) {
        StreamDecoder dec = newDecoder();
        float[] out = new float[0];
        for (int[] frame : codes) {
            out = concat(out, dec.decode(frame));
        }
        // Decoders that batch frames (neural ones) release the rest only when told the stream ended.
        out = concat(out, dec.finish());
        return Arrays.copyOf(out, samples);
    }

    /** The fused, fc_prior-projected vector of one frame. */
    public float[] fuse(float[] acoustic, float[] semanticFrame) {
        float[] cat = Arrays.copyOf(acoustic, acoustic.length + semanticFrame.length);
        System.arraycopy(semanticFrame, 0, cat, acoustic.length, semanticFrame.length);
        return fcPrior.apply(cat);
    }

    public StreamEncoder newEncoder(int nq) {
        if (nq < 1 || nq > rvq.numCodebooks()) {
            throw new IllegalArgumentException("n_q must be 1.." + rvq.numCodebooks() + ", got " + nq);
        }
        return new StreamEncoder(rvq.withStages(nq));
    }

    public StreamDecoder newDecoder() {
        return new StreamDecoder();
    }

    /** Chunked encoder; carries the acoustic encoder state, the pending frames and the teacher's history. */
    public final class StreamEncoder {
        private final ResidualVectorQuantizer q;
        private final LatentEncoder acoustic = acousticEncoder.get();
        private final List<float[]> pending = new ArrayList<>();
        private float[] history = new float[0];   // original samples from historyStart on
        private long historyStart;
        private long received;
        private long nextFrame;

        private StreamEncoder(ResidualVectorQuantizer q) {
            this.q = q;
        }

        public List<int[]> push(float[] pcm, int off, int len) {
            history = concat(history, Arrays.copyOfRange(pcm, off, off + len));
            received += len;
            pending.addAll(acoustic.push(pcm, off, len));
            return drain(false);
        }

        public List<int[]> finish() {
            pending.addAll(acoustic.finish());
            return drain(true);
        }

        private List<int[]> drain(boolean all) {
            int ready = pending.size();
            if (!all) {
                // Teacher frame t needs original samples up to hop*t + 240.
                long maxFrame = Math.floorDiv(received - (RECEPTIVE - SemanticFeatures.PAD), hop);
                ready = (int) Math.max(0, Math.min(ready, maxFrame - nextFrame + 1));
            }
            List<int[]> out = new ArrayList<>();
            if (ready == 0) {
                return out;
            }
            long t0 = nextFrame;
            long t1 = t0 + ready - 1;
            long segStart = hop * t0 - SemanticFeatures.PAD - contextSamples;
            int segLen = (int) (hop * (t1 - t0) + contextSamples + RECEPTIVE);
            float[] seg = new float[segLen];
            for (int i = 0; i < segLen; i++) {
                long s = segStart + i - historyStart;
                if (s >= 0 && s < history.length) {
                    seg[i] = history[(int) s];
                }
            }
            float[][] sem = SemanticFeatures.average(semantic.hiddenStates(seg), semantic.dim());
            int first = contextSamples / hop;
            int[] codes = new int[q.numCodebooks()];
            for (int i = 0; i < ready; i++) {
                float[] fused = fuse(pending.get(i), sem[first + i]);
                q.encode(fused, 0, codes, 0);
                out.add(codes.clone());
            }
            pending.subList(0, ready).clear();
            nextFrame += ready;
            // Keep only the history the next teacher window can reach.
            long keepFrom = Math.max(historyStart, hop * nextFrame - SemanticFeatures.PAD - contextSamples);
            history = Arrays.copyOfRange(history, (int) (keepFrom - historyStart), history.length);
            historyStart = keepFrom;
            return out;
        }
    }

    /** Frame-by-frame decoder: RVQ decode, fc_post2, acoustic decoder (state carried). */
    public final class StreamDecoder {
        private final LatentDecoder acoustic = acousticDecoder.get();
        private final float[] fused = new float[rvq.dim()];

        private StreamDecoder() {
        }

        public float[] decode(int[] codes) {
            rvq.withStages(codes.length).decode(codes, 0, fused, 0);
            return acoustic.decode(fcPost2.apply(fused));
        }

        public float[] finish() {
            return acoustic.finish();
        }
    }

    private static float[] concat(float[] a, float[] b) {
        float[] o = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, o, a.length, b.length);
        return o;
    }
}
