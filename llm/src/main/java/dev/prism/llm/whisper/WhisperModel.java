package dev.prism.llm.whisper;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.prism.llm.checkpoint.Checkpoint;
import dev.prism.llm.kv.KvCache;
import dev.prism.llm.kv.LayerKv;
import dev.prism.llm.onnx.GraphBuilder;
import dev.prism.llm.runtime.BlockSession;
import dev.prism.llm.runtime.OrtRuntime;
import dev.prism.llm.runtime.RuntimeFailure;
import dev.prism.llm.runtime.RuntimeOptions;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Whisper checkpoint compiled to per-block sessions: encode a log-mel spectrogram once, then decode
 * greedily with a Java-owned self-attention cache and per-layer cross-attention K/V. Mel features
 * (the audio module's job) come in as [mels * frames], row-major.
 */
public final class WhisperModel implements AutoCloseable {
    private final Checkpoint ckpt;
    private final WhisperSpec spec;
    private final OrtRuntime rt;
    private final GraphBuilder.WeightMode mode;
    private final Map<Integer, BlockSession> frontEnds = new HashMap<>();
    private final List<BlockSession> encoder = new ArrayList<>();
    private final List<BlockSession> decoder = new ArrayList<>();
    private final List<BlockSession> cross = new ArrayList<>();
    private BlockSession encoderNorm;
    private BlockSession embed;
    private BlockSession head;

    private WhisperModel(Checkpoint ckpt, WhisperSpec spec, OrtRuntime rt) {
        this.ckpt = ckpt;
        this.spec = spec;
        this.rt = rt;
        this.mode = rt.options().weightMode();
    }

    public static WhisperModel load(Path dir, RuntimeOptions options) {
        Checkpoint c = Checkpoint.open(dir);
        WhisperModel m = new WhisperModel(c, WhisperSpec.from(c.config()), new OrtRuntime(options));
        try {
            m.compile();
            return m;
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    private BlockSession block(GraphBuilder g, String prefix) {
        return rt.compile(g, n -> ckpt.weights().get(prefix + n).toFloat32Direct());
    }

    private void compile() {
        for (int l = 0; l < spec.encoderLayers(); l++) {
            encoder.add(block(WhisperBlocks.encoderLayer(spec, mode), "model.encoder.layers." + l + "."));
        }
        encoderNorm = block(WhisperBlocks.finalNorm(spec, mode), "model.encoder.");
        for (int l = 0; l < spec.decoderLayers(); l++) {
            decoder.add(block(WhisperBlocks.decoderLayer(spec, mode), "model.decoder.layers." + l + "."));
            cross.add(block(WhisperBlocks.crossKv(spec, mode), "model.decoder.layers." + l + "."));
        }
        embed = block(WhisperBlocks.decoderEmbedding(spec, mode), "model.decoder.");
        head = block(WhisperBlocks.head(spec, mode), "model.decoder.");
    }

    public WhisperSpec spec() {
        return spec;
    }

    public boolean isDemo() {
        return ckpt.isDemo();
    }

    /** Encoder output [(frames/2) * d] for mel [mels * frames]. */
    public float[] encode(float[] mel, int frames) {
        if (mel.length != spec.mels() * frames || (frames + 1) / 2 > spec.maxSource()) {
            throw new IllegalArgumentException("mel must be " + spec.mels() + " x frames values with frames/2 <= "
                    + spec.maxSource() + "; got " + mel.length + " values for " + frames + " frames");
        }
        BlockSession fe = frontEnds.computeIfAbsent(frames, f -> block(WhisperBlocks.encoderFrontEnd(spec, f, mode), "model.encoder."));
        float[] x = run(fe, Map.of("mel", new Object[] {mel, new long[] {1, spec.mels(), frames}}), "x").get("x");
        int d = spec.dModel();
        for (BlockSession layer : encoder) {
            x = run(layer, Map.of("x", new Object[] {x, new long[] {x.length / d, d}}), "y").get("y");
        }
        return run(encoderNorm, Map.of("x", new Object[] {x, new long[] {x.length / d, d}}), "y").get("y");
    }

    /** Greedy decoding from the start tokens until EOS or maxTokens new tokens; returns the new tokens. */
    public long[] greedy(float[] encoded, long[] startTokens, int maxTokens) {
        int d = spec.dModel();
        int h = spec.decoderHeads();
        int hd = spec.decoderHeadDim();
        int s = encoded.length / d;
        List<float[][]> crossKv = new ArrayList<>();
        for (BlockSession c : cross) {
            Map<String, float[]> r = run(c, Map.of("enc", new Object[] {encoded, new long[] {s, d}}), "cross_k", "cross_v");
            crossKv.add(new float[][] {r.get("cross_k"), r.get("cross_v")});
        }
        KvCache cache = new KvCache(spec.decoderLayers(), h, hd);
        long[] ids = startTokens;
        long next = 0;
        List<Long> out = new ArrayList<>();
        for (int step = 0; step < maxTokens; step++) {
            int t = ids.length;
            long[] pos = new long[t];
            for (int i = 0; i < t; i++) {
                pos[i] = next + i;
            }
            if (next + t > spec.maxTarget()) {
                break;
            }
            float[] x = embed(ids, pos);
            for (int l = 0; l < decoder.size(); l++) {
                x = decoderLayer(l, x, t, pos, cache.layer(l), crossKv.get(l), s);
            }
            next += t;
            float[] last = new float[d];
            System.arraycopy(x, x.length - d, last, 0, d);
            float[] logits = run(head, Map.of("h", new Object[] {last, new long[] {1, d}}), "logits").get("logits");
            long tok = argmax(logits);
            if (tok == spec.eos()) {
                break;
            }
            out.add(tok);
            ids = new long[] {tok};
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    private float[] embed(long[] ids, long[] pos) {
        try (OnnxTensor a = OnnxTensor.createTensor(rt.env(), LongBuffer.wrap(ids), new long[] {ids.length});
             OnnxTensor b = OnnxTensor.createTensor(rt.env(), LongBuffer.wrap(pos), new long[] {pos.length});
             OrtSession.Result r = embed.run(Map.of("ids", a, "positions", b), Set.of("x"))) {
            return floats(r, "x");
        } catch (OrtException e) {
            throw new RuntimeFailure("whisper embedding failed: " + e.getMessage(), e);
        }
    }

    private float[] decoderLayer(int l, float[] x, int t, long[] pos, LayerKv kv, float[][] ckv, int s) {
        int d = spec.dModel();
        int h = spec.decoderHeads();
        int hd = spec.decoderHeadDim();
        Map<String, OnnxTensor> in = new HashMap<>();
        try {
            in.put("x", OnnxTensor.createTensor(rt.env(), FloatBuffer.wrap(x), new long[] {t, d}));
            in.put("past_k", OnnxTensor.createTensor(rt.env(), kv.keys(), new long[] {h, kv.capacity(), hd}));
            in.put("past_v", OnnxTensor.createTensor(rt.env(), kv.values(), new long[] {h, kv.capacity(), hd}));
            in.put("mask", OnnxTensor.createTensor(rt.env(), FloatBuffer.wrap(kv.mask(t)), new long[] {h, t, kv.capacity() + t}));
            in.put("cross_k", OnnxTensor.createTensor(rt.env(), FloatBuffer.wrap(ckv[0]), new long[] {h, s, hd}));
            in.put("cross_v", OnnxTensor.createTensor(rt.env(), FloatBuffer.wrap(ckv[1]), new long[] {h, s, hd}));
            try (OrtSession.Result r = decoder.get(l).run(in, Set.of("y", "k_new", "v_new"))) {
                kv.append(buffer(r, "k_new"), buffer(r, "v_new"), t, pos);
                return floats(r, "y");
            }
        } catch (OrtException e) {
            throw new RuntimeFailure("whisper decoder layer " + l + " failed: " + e.getMessage(), e);
        } finally {
            in.values().forEach(OnnxTensor::close);
        }
    }

    /** inputs: name -> {float[] data, long[] shape}. */
    private Map<String, float[]> run(BlockSession b, Map<String, Object[]> inputs, String... outs) {
        Map<String, OnnxTensor> in = new HashMap<>();
        try {
            for (Map.Entry<String, Object[]> e : inputs.entrySet()) {
                in.put(e.getKey(), OnnxTensor.createTensor(rt.env(), FloatBuffer.wrap((float[]) e.getValue()[0]), (long[]) e.getValue()[1]));
            }
            try (OrtSession.Result r = b.run(in, Set.of(outs))) {
                Map<String, float[]> m = new HashMap<>();
                for (String o : outs) {
                    m.put(o, floats(r, o));
                }
                return m;
            }
        } catch (OrtException e) {
            throw new RuntimeFailure("whisper block failed: " + e.getMessage(), e);
        } finally {
            in.values().forEach(OnnxTensor::close);
        }
    }

    private static FloatBuffer buffer(OrtSession.Result r, String n) {
        return ((OnnxTensor) r.get(n).orElseThrow()).getFloatBuffer();
    }

    private static float[] floats(OrtSession.Result r, String n) {
        FloatBuffer b = buffer(r, n);
        float[] out = new float[b.remaining()];
        b.get(out);
        return out;
    }

    static long argmax(float[] a) {
        int b = 0;
        for (int i = 1; i < a.length; i++) {
            if (a[i] > a[b]) {
                b = i;
            }
        }
        return b;
    }

    @Override
    public void close() {
        frontEnds.values().forEach(BlockSession::close);
        encoder.forEach(BlockSession::close);
        decoder.forEach(BlockSession::close);
        cross.forEach(BlockSession::close);
        for (BlockSession b : new BlockSession[] {encoderNorm, embed, head}) {
            if (b != null) {
                b.close();
            }
        }
        ckpt.close();
    }
}
