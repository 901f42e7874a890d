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
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Whisper checkpoint compiled to per-block sessions: encode a log-mel spectrogram once, then decode
 * with a Java-owned self-attention cache and per-layer cross-attention K/V computed once per window
 * ({@link Decoder}). Mel features (the audio module's job) come in as [mels * frames], row-major.
 * Sessions are shared: several threads may encode and decode at once, each with its own Decoder.
 */
public final class WhisperModel implements AutoCloseable {
    private final Checkpoint ckpt;
    private final WhisperSpec spec;
    private final OrtRuntime rt;
    private final GraphBuilder.WeightMode mode;
    private final Map<Integer, BlockSession> frontEnds = new ConcurrentHashMap<>();
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

    /** The checkpoint (generation_config.json, tokenizer) this model was compiled from. */
    public Checkpoint checkpoint() {
        return ckpt;
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
        Decoder dec = decoder(encoded);
        long[] ids = startTokens;
        List<Long> out = new ArrayList<>();
        for (int step = 0; step < maxTokens && dec.length() + ids.length <= spec.maxTarget(); step++) {
            long tok = argmax(dec.feed(ids, false).last());
            if (tok == spec.eos()) {
                break;
            }
            out.add(tok);
            ids = new long[] {tok};
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * A decoding pass over one encoded window: the per-layer cross-attention K/V are projected once here,
     * and the self-attention K/V of every fed token stay in a Java-owned cache, so each step runs the new
     * tokens only. Not thread-safe (one pass per thread); the model itself is shared.
     */
    public Decoder decoder(float[] encoded) {
        int d = spec.dModel();
        if (encoded.length == 0 || encoded.length % d != 0 || encoded.length / d > spec.maxSource()) {
            throw new IllegalArgumentException("encoder output must be S x " + d + " values with 0 < S <= "
                    + spec.maxSource() + "; got " + encoded.length);
        }
        int s = encoded.length / d;
        List<FloatBuffer[]> crossKv = new ArrayList<>();
        for (BlockSession c : cross) {
            Map<String, float[]> r = run(c, Map.of("enc", new Object[] {encoded, new long[] {s, d}}), "cross_k", "cross_v");
            // direct buffers: every step's session reads them in place instead of copying megabytes per layer
            crossKv.add(new FloatBuffer[] {direct(r.get("cross_k")), direct(r.get("cross_v"))});
        }
        return new Decoder(crossKv, s);
    }

    /** One step's output: logits [rows * vocab] and, when asked for, each layer's cross_qk [heads, tokens, frames]. */
    public record Step(float[] logits, int rows, int vocab, List<float[]> crossQk) {
        /** Logits of the last fed position. */
        public float[] last() {
            float[] out = new float[vocab];
            System.arraycopy(logits, (rows - 1) * vocab, out, 0, vocab);
            return out;
        }

        public float[] row(int i) {
            float[] out = new float[vocab];
            System.arraycopy(logits, i * vocab, out, 0, vocab);
            return out;
        }
    }

    /** See {@link #decoder(float[])}. */
    public final class Decoder {
        private final List<FloatBuffer[]> crossKv;
        private final int frames;
        private final KvCache cache = new KvCache(spec.decoderLayers(), spec.decoderHeads(), spec.decoderHeadDim());
        private long next;

        private Decoder(List<FloatBuffer[]> crossKv, int frames) {
            this.crossKv = crossKv;
            this.frames = frames;
        }

        /** Tokens fed so far (the position of the next token). */
        public int length() {
            return (int) next;
        }

        /** Encoder positions the cross-attention sees. */
        public int frames() {
            return frames;
        }

        /**
         * Feeds tokens after those already cached. With {@code alignment} the result has logits for every fed
         * position and each layer's cross-attention scores; without, the logits of the last position only.
         */
        public Step feed(long[] ids, boolean alignment) {
            return feed(ids, alignment, alignment);
        }

        /** Feeds tokens; logits of every fed position or of the last only, cross-attention scores on request. */
        public Step feed(long[] ids, boolean allRows, boolean crossQk) {
            int t = ids.length;
            if (t == 0 || next + t > spec.maxTarget()) {
                throw new IllegalArgumentException("cannot feed " + t + " tokens after " + next + ": the decoder has "
                        + spec.maxTarget() + " positions");
            }
            long[] pos = new long[t];
            for (int i = 0; i < t; i++) {
                pos[i] = next + i;
            }
            int d = spec.dModel();
            float[] x = embed(ids, pos);
            List<float[]> qk = crossQk ? new ArrayList<>() : null;
            for (int l = 0; l < decoder.size(); l++) {
                x = decoderLayer(l, x, t, pos, cache.layer(l), crossKv.get(l), frames, qk);
            }
            next += t;
            int rows = allRows ? t : 1;
            float[] h = x;
            if (!allRows) {
                h = new float[d];
                System.arraycopy(x, x.length - d, h, 0, d);
            }
            float[] logits = run(head, Map.of("h", new Object[] {h, new long[] {rows, d}}), "logits").get("logits");
            return new Step(logits, rows, spec.vocab(), qk == null ? List.of() : List.copyOf(qk));
        }
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

    private float[] decoderLayer(int l, float[] x, int t, long[] pos, LayerKv kv, FloatBuffer[] ckv, int s, List<float[]> qk) {
        int d = spec.dModel();
        int h = spec.decoderHeads();
        int hd = spec.decoderHeadDim();
        Map<String, OnnxTensor> in = new HashMap<>();
        try {
            in.put("x", OnnxTensor.createTensor(rt.env(), FloatBuffer.wrap(x), new long[] {t, d}));
            in.put("past_k", OnnxTensor.createTensor(rt.env(), kv.keys(), new long[] {h, kv.capacity(), hd}));
            in.put("past_v", OnnxTensor.createTensor(rt.env(), kv.values(), new long[] {h, kv.capacity(), hd}));
            in.put("mask", OnnxTensor.createTensor(rt.env(), FloatBuffer.wrap(kv.mask(t)), new long[] {h, t, kv.capacity() + t}));
            in.put("cross_k", OnnxTensor.createTensor(rt.env(), ckv[0].duplicate().clear(), new long[] {h, s, hd}));
            in.put("cross_v", OnnxTensor.createTensor(rt.env(), ckv[1].duplicate().clear(), new long[] {h, s, hd}));
            Set<String> outs = qk == null ? Set.of("y", "k_new", "v_new") : Set.of("y", "k_new", "v_new", "cross_qk");
            try (OrtSession.Result r = decoder.get(l).run(in, outs)) {
                kv.append(buffer(r, "k_new"), buffer(r, "v_new"), t, pos);
                if (qk != null) {
                    qk.add(floats(r, "cross_qk"));
                }
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

    private static FloatBuffer direct(float[] a) {
        FloatBuffer b = java.nio.ByteBuffer.allocateDirect(a.length * Float.BYTES).order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer();
        b.put(a).clear();
        return b;
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
