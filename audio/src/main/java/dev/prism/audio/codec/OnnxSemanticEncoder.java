package dev.prism.audio.codec;

import dev.prism.codecs.xcodec.SemanticEncoder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * X-Codec's frozen semantic teacher (ALGORITHMS.md 6.1: HuBERT-base, WavLM-base-plus) from an ONNX
 * export that returns every hidden state. Expected export: one input {@code input_values [1, T]}
 * (16 kHz mono float waveform) and outputs {@code hidden_states_0 .. hidden_states_L}, each
 * {@code [1, frames, dim]} (hidden_states_0 the feature projection / embedding output, then one per
 * transformer layer: 13 for a base model, dim 768), e.g. from PyTorch
 * {@code torch.onnx.export(Wrapper(model), wav, f, input_names=["input_values"],
 * output_names=[f"hidden_states_{i}" for i in range(13)], dynamic_axes=...)} where the wrapper
 * returns {@code model(x, output_hidden_states=True).hidden_states}. Names {@code hidden_states.<i>}
 * are accepted too; outputs are ordered by index.
 *
 * <p>Waveform normalisation: X-Codec feeds the raw padded waveform to the teacher (no feature
 * extractor), so {@code normalize} defaults to false; some HF preprocessors (do_normalize) scale to
 * zero mean and unit variance first: set it to match how the teacher was trained. Thread-safe.
 */
public final class OnnxSemanticEncoder implements SemanticEncoder, AutoCloseable {
    /** Samples one teacher frame covers (HuBERT/WavLM conv feature extractor: 400, stride 320). */
    public static final int RECEPTIVE_FIELD = 400;
    private static final Pattern HIDDEN = Pattern.compile("hidden_states[._](\\d+)");

    private final OnnxModel model;
    private final String input;
    private final List<String> outputs;
    private final int sampleRate;
    private final int dim;
    private final boolean normalize;

    private OnnxSemanticEncoder(OnnxModel model, String input, List<String> outputs, int sampleRate, int dim,
                                boolean normalize) {
        this.model = model;
        this.input = input;
        this.outputs = outputs;
        this.sampleRate = sampleRate;
        this.dim = dim;
        this.normalize = normalize;
    }

    /** Loads a 16 kHz teacher without waveform normalisation (X-Codec's use) and one intra-op thread. */
    public static OnnxSemanticEncoder load(Path onnx) throws OnnxCodecException {
        return load(onnx, 16_000, false, 1);
    }

    public static OnnxSemanticEncoder load(Path onnx, int sampleRate, boolean normalize, int threads)
            throws OnnxCodecException {
        OnnxModel m = OnnxModel.load(onnx, threads);
        try {
            if (!m.inputNames().contains("input_values")) {
                throw new OnnxCodecException(onnx + " has inputs " + m.inputNames()
                        + "; a semantic teacher export needs 'input_values' [1, T]");
            }
            List<String> outs = new ArrayList<>();
            for (String name : m.outputNames()) {
                if (HIDDEN.matcher(name).matches()) {
                    outs.add(name);
                }
            }
            outs.sort(Comparator.comparingInt(OnnxSemanticEncoder::index));
            for (int i = 0; i < outs.size(); i++) {
                if (index(outs.get(i)) != i) {
                    throw new OnnxCodecException(onnx + " has hidden-state outputs " + outs + ": index " + i
                            + " is missing (export every hidden state, the embedding output included)");
                }
            }
            if (outs.size() < 2) {
                throw new OnnxCodecException(onnx + " has outputs " + m.outputNames()
                        + "; X-Codec averages all hidden states, so the export needs hidden_states_0..hidden_states_L");
            }
            long[] shape = m.outputShape(outs.get(0));
            if (shape == null || shape.length != 3 || shape[2] < 1) {
                throw new OnnxCodecException(onnx + ": output " + outs.get(0) + " must be [1, frames, dim] with a fixed dim,"
                        + " got " + java.util.Arrays.toString(shape));
            }
            return new OnnxSemanticEncoder(m, "input_values", List.copyOf(outs), sampleRate, (int) shape[2], normalize);
        } catch (OnnxCodecException | RuntimeException e) {
            m.close();
            throw e;
        }
    }

    private static int index(String name) {
        Matcher mt = HIDDEN.matcher(name);
        return mt.matches() ? Integer.parseInt(mt.group(1)) : -1;
    }

    @Override
    public int sampleRate() {
        return sampleRate;
    }

    @Override
    public int dim() {
        return dim;
    }

    /** Number of hidden states the export returns (13 for a base model). */
    public int numHiddenStates() {
        return outputs.size();
    }

    @Override
    public List<float[][]> hiddenStates(float[] paddedWaveform) {
        if (paddedWaveform.length < RECEPTIVE_FIELD) {
            List<float[][]> none = new ArrayList<>();
            outputs.forEach(o -> none.add(new float[0][dim]));
            return none;   // shorter than one frame: HuBERT's conv stack would reject it
        }
        float[] x = normalize ? normalized(paddedWaveform) : paddedWaveform;
        var result = model.run(input, x, new long[] {1, x.length}, outputs);
        List<float[][]> layers = new ArrayList<>();
        for (String name : outputs) {
            OnnxModel.Tensor t = result.get(name);
            long[] s = t.shape();
            if (s.length != 3 || s[0] != 1 || s[2] != dim) {
                throw new IllegalStateException(model.file() + ": output " + name + " has shape "
                        + java.util.Arrays.toString(s) + ", expected [1, frames, " + dim + "]");
            }
            int frames = (int) s[1];
            float[][] h = new float[frames][dim];
            for (int f = 0; f < frames; f++) {
                System.arraycopy(t.data(), f * dim, h[f], 0, dim);
            }
            layers.add(h);
        }
        return layers;
    }

    private static float[] normalized(float[] x) {
        double mean = 0;
        for (float v : x) {
            mean += v;
        }
        mean /= Math.max(1, x.length);
        double var = 0;
        for (float v : x) {
            var += (v - mean) * (v - mean);
        }
        var /= Math.max(1, x.length);
        // The HF Wav2Vec2 feature extractor's normalisation, epsilon 1e-7.
        double inv = 1 / Math.sqrt(var + 1e-7);
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = (float) ((x[i] - mean) * inv);
        }
        return out;
    }

    @Override
    public void close() {
        model.close();
    }
}
