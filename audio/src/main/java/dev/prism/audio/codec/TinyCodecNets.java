package dev.prism.audio.codec;

import dev.prism.llm.onnx.GraphBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/**
 * Writes a tiny deterministic encoder/decoder ONNX pair with the real export contract, for tests
 * and the demo (DEMO WEIGHTS: seeded random, not trained; the decoder does not reconstruct the
 * input). Shapes follow EnCodec's causal SEANet / HiFi-Codec's strided stacks at small width:
 * encoder conv k7 -> ELU -> per stride s a causal Conv1d (kernel 2s, stride s, doubling channels)
 * -> ELU -> conv k3 to {@code dim}; decoder conv k3 -> per stride (reversed) a ConvTranspose1d
 * (kernel 2s, stride s, halving channels) trimmed on the right (EnCodec's causal trim) -> ELU ->
 * conv k7 to one channel -> tanh. Weights are Constant nodes, so each file is a self-contained
 * model any ONNX runtime loads. The sidecar's receptive field and decoder context are computed
 * from the layer shapes.
 */
public final class TinyCodecNets {
    private TinyCodecNets() {
    }

    /** Writes {@code dir/encoder.onnx}, {@code decoder.onnx} and {@code codec.json}; returns the spec. */
    public static OnnxCodecSpec write(Path dir, String name, int sampleRate, int[] strides, int width, int dim, long seed)
            throws IOException {
        return write(dir, name, sampleRate, strides, width, dim, seed, true);
    }

    /**
     * @param causalEncoder false pads every encoder conv on both sides (DAC / HiFi-Codec style), so a
     *                      frame also depends on samples after its hop: the sidecar then carries a lookahead
     */
    public static OnnxCodecSpec write(Path dir, String name, int sampleRate, int[] strides, int width, int dim, long seed,
                                      boolean causalEncoder) throws IOException {
        int hop = 1;
        for (int s : strides) {
            hop *= s;
        }
        Files.createDirectories(dir);
        Random rnd = new Random(seed);
        Files.write(dir.resolve("encoder.onnx"), encoder(strides, width, dim, rnd, causalEncoder));
        Files.write(dir.resolve("decoder.onnx"), decoder(strides, width, dim, rnd));
        // Input samples that frame 0 depends on, walked back from the last layer: output j of a conv
        // (kernel k, stride s, left pad p) covers inputs [j*s - p, j*s - p + k - 1].
        int[][] layers = new int[strides.length + 2][];
        layers[0] = new int[] {7, 1};
        for (int i = 0; i < strides.length; i++) {
            layers[i + 1] = new int[] {2 * strides[i], strides[i]};
        }
        layers[strides.length + 1] = new int[] {3, 1};
        long lo = 0;
        long hi = 0;
        for (int i = layers.length - 1; i >= 0; i--) {
            int k = layers[i][0];
            int st = layers[i][1];
            int pl = causalEncoder ? k - st : (k - st) / 2;
            lo = lo * st - pl;
            hi = hi * st - pl + k - 1;
        }
        long rf = hi - lo + 1;
        int lookahead = (int) Math.max(0, hi - (hop - 1));
        // Decoder context in frames: conv k3 reaches 2 frames back, each transposed stage one of its
        // input steps back, the final k7 conv 6 samples.
        double back = 2;
        double unit = 1;
        for (int i = strides.length - 1; i >= 0; i--) {
            back += unit;
            unit /= strides[i];
        }
        back += 6.0 / hop;
        OnnxCodecSpec spec = new OnnxCodecSpec(name, true, sampleRate, hop, dim, "encoder.onnx", "waveform", "latent",
                (int) rf, lookahead, "decoder.onnx", "latent", "waveform", (int) Math.ceil(back - 1e-9), 0, null);
        spec.write(dir);
        return spec;
    }

    /** The demo pair at 24 kHz: strides (2, 4, 5, 8) = hop 320 (75 Hz), width 8, latent dim 64. */
    public static OnnxCodecSpec writeDemo24k(Path dir) throws IOException {
        return write(dir, "tiny-encodec-demo-24k", 24_000, new int[] {2, 4, 5, 8}, 8, 64, 20_261_122L);
    }

    static byte[] encoder(int[] strides, int width, int dim, Random rnd, boolean causal) {
        GraphBuilder g = new GraphBuilder("tiny_codec_encoder", GraphBuilder.WeightMode.GRAPH_INPUT);
        String x = g.input("waveform", 1L, 1L, "T");
        x = g.op("Elu", conv(g, x, 1, width, 7, 1, rnd, causal));
        int ch = width;
        for (int s : strides) {
            x = g.op("Elu", conv(g, x, ch, ch * 2, 2 * s, s, rnd, causal));
            ch *= 2;
        }
        x = conv(g, x, ch, dim, 3, 1, rnd, causal);
        g.output(x, "latent", 1L, (long) dim, "F");
        return g.toModelBytes();
    }

    static byte[] decoder(int[] strides, int width, int dim, Random rnd) {
        GraphBuilder g = new GraphBuilder("tiny_codec_decoder", GraphBuilder.WeightMode.GRAPH_INPUT);
        String x = g.input("latent", 1L, (long) dim, "F");
        int ch = width << strides.length;
        x = g.op("Elu", conv(g, x, dim, ch, 3, 1, rnd, true));
        for (int i = strides.length - 1; i >= 0; i--) {
            int s = strides[i];
            int out = Math.max(width, ch / 2);
            String w = constant(g, rnd, new long[] {ch, out, 2L * s}, Math.sqrt(3.0 / (ch * 2.0)));
            String b = constant(g, rnd, new long[] {out}, 0.1);
            String y = g.op("ConvTranspose", Map.of("kernel_shape", new long[] {2L * s}, "strides", new long[] {s}), x, w, b);
            // (F+1)*s samples come out; dropping the last s keeps the layer causal (EnCodec's trim).
            y = g.op("Slice", y, g.intVec(0), g.intVec(-s), g.intVec(2));
            x = g.op("Elu", y);
            ch = out;
        }
        x = g.op("Tanh", conv(g, x, ch, 1, 7, 1, rnd, true));
        g.output(x, "waveform", 1L, 1L, "S");
        return g.toModelBytes();
    }

    /**
     * Conv1d with kernel k and stride s keeping T/s outputs: causal pads k - s on the left (output j
     * sees inputs up to (j+1)s - 1); otherwise the k - s padding is split, left part first.
     */
    static String conv(GraphBuilder g, String x, int cin, int cout, int k, int s, Random rnd, boolean causal) {
        String w = constant(g, rnd, new long[] {cout, cin, k}, Math.sqrt(3.0 / (cin * k)));
        String b = constant(g, rnd, new long[] {cout}, 0.1);
        long left = causal ? k - s : (k - s) / 2;
        return g.op("Conv", Map.of("kernel_shape", new long[] {k}, "strides", new long[] {s},
                "pads", new long[] {left, k - s - left}), x, w, b);
    }

    /** A seeded uniform(-a, a) tensor as a Constant node reshaped to {@code shape}. */
    static String constant(GraphBuilder g, Random rnd, long[] shape, double a) {
        int n = 1;
        for (long d : shape) {
            n *= (int) d;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((rnd.nextDouble() * 2 - 1) * a);
        }
        String flat = g.op("Constant", Map.of("value_floats", v));
        return g.op("Reshape", flat, g.intVec(shape));
    }
}
