package dev.prism.llm.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.prism.llm.checkpoint.Weights;
import dev.prism.llm.kv.KvCache;
import dev.prism.llm.kv.LayerKv;
import dev.prism.llm.model.DecoderSpec;
import dev.prism.llm.onnx.DecoderBlocks;
import dev.prism.llm.onnx.GraphBuilder;
import dev.prism.llm.runtime.BlockSession;
import dev.prism.llm.runtime.OrtRuntime;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** The whole decoder as one ORT session (the benchmark's baseline), driving the same Java KV cache. */
final class WholeModel implements AutoCloseable {
    private final DecoderSpec s;
    private final OrtRuntime rt;
    private final BlockSession session;

    WholeModel(OrtRuntime rt, Weights w, DecoderSpec s) {
        this.s = s;
        this.rt = rt;
        this.session = rt.compile(DecoderBlocks.wholeModelGraph(s, rt.options().weightMode()),
                n -> w.get(n).toFloat32Direct());
    }

    /** Runs t tokens at the given positions; appends to cache; returns the last row's logits. */
    float[] step(long[] ids, long[] pos, KvCache cache) throws OrtException {
        int t = ids.length;
        int hd = s.headDim();
        float[][] cs = s.rope().cosSin(pos, (int) pos[pos.length - 1] + 1);
        Map<String, OnnxTensor> in = new HashMap<>();
        Set<String> outs = new HashSet<>();
        outs.add("logits");
        try {
            in.put("ids", OnnxTensor.createTensor(rt.env(), LongBuffer.wrap(ids), new long[] {t}));
            in.put(DecoderBlocks.COS, OnnxTensor.createTensor(rt.env(), FloatBuffer.wrap(cs[0]), new long[] {t, hd}));
            in.put(DecoderBlocks.SIN, OnnxTensor.createTensor(rt.env(), FloatBuffer.wrap(cs[1]), new long[] {t, hd}));
            for (int l = 0; l < s.layers(); l++) {
                LayerKv kv = cache.layer(l);
                long[] shape = {s.kvHeads(), kv.capacity(), hd};
                in.put(DecoderBlocks.PAST_K + "_" + l, OnnxTensor.createTensor(rt.env(), kv.keys(), shape));
                in.put(DecoderBlocks.PAST_V + "_" + l, OnnxTensor.createTensor(rt.env(), kv.values(), shape));
                in.put(DecoderBlocks.MASK + "_" + l, OnnxTensor.createTensor(rt.env(), FloatBuffer.wrap(kv.mask(t)),
                        new long[] {s.kvHeads(), t, kv.capacity() + t}));
                outs.add(DecoderBlocks.K_NEW + "_" + l);
                outs.add(DecoderBlocks.V_NEW + "_" + l);
            }
            try (OrtSession.Result r = session.run(in, outs)) {
                for (int l = 0; l < s.layers(); l++) {
                    cache.layer(l).append(buf(r, DecoderBlocks.K_NEW + "_" + l), buf(r, DecoderBlocks.V_NEW + "_" + l), t, pos);
                }
                FloatBuffer lg = buf(r, "logits");
                float[] last = new float[s.vocab()];
                lg.get((t - 1) * s.vocab(), last);
                return last;
            }
        } finally {
            in.values().forEach(OnnxTensor::close);
        }
    }

    private static FloatBuffer buf(OrtSession.Result r, String n) {
        return ((OnnxTensor) r.get(n).orElseThrow()).getFloatBuffer();
    }

    @Override
    public void close() {
        session.close();
    }
}
