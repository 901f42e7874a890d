package dev.prism.vision.caption;

import dev.prism.codecs.cachegen.BinConfig;
import dev.prism.codecs.cachegen.CacheGenCodec;
import dev.prism.llm.generate.PositionPolicy;
import dev.prism.llm.kv.KvCache;
import dev.prism.llm.kv.LayerKv;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A caption's conversation state for follow-up questions: the final KV cache encoded with CacheGen (ALGORITHMS.md 4:
 * per-token quantization with the quality level's layer-grouped bins, per-(layer, channel) CDFs, range coding,
 * 256-token chunks) plus what continuing needs: prompt and sampled token ids (the last sampled one is not in the cache
 * yet), the next RoPE position, the tokens seen, and per layer and KV head the entries' lengths and positions.
 *
 * <p>CacheGen codes a rectangular [layers][heads][tokens][headDim] cache, while after stage C and Elastic Cache the
 * layers hold different lengths (and PLPHP may leave heads ragged). Layers are therefore grouped by their longest
 * head, each group coded as one CacheGen container with its layers' own bins; shorter heads are padded with zeros
 * (an all-zero token codes to one symbol and decodes to zeros). Positions are metadata (keys carry their RoPE phase):
 * they are stored exactly, but a restored ragged layer takes each row's position from the first head that has it.
 *
 * <p>Format: "PCTX", version, flags, model id, level, position rule, next position, tokens seen, shape, varint ids,
 * varint lengths and zigzag-delta positions, then the containers, then a CRC-32.
 */
final class CaptionContext {
    static final byte[] MAGIC = "PCTX".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;

    /** A decoded context. */
    record State(int modelId, boolean demo, int level, PositionPolicy positions, long nextPos, long seen,
            long[] promptIds, long[] sampled, int pending, KvCache cache) {
    }

    /** Encoded bytes and size figures: CacheGen payload vs fp16 and plain 8-bit (1 byte per value + fp32 token scales). */
    record Encoded(byte[] bytes, long cacheGenBytes, long fp16Bytes, long int8Bytes) {
    }

    private CaptionContext() {
    }

    static Encoded encode(State s) {
        KvCache c = s.cache();
        int layers = c.layers();
        LayerKv first = c.layer(0);
        int heads = first.kvHeads();
        int d = first.headDim();
        Bytes.Out o = new Bytes.Out().put(MAGIC).u8(VERSION).u8(s.demo() ? 1 : 0).i32(s.modelId()).u8(s.level())
                .u8(s.positions().ordinal()).i64(s.nextPos()).i64(s.seen()).i32(layers).i32(heads).i32(d);
        ids(o, s.promptIds());
        ids(o, s.sampled());
        o.varint(s.pending());
        long values = 0;
        long rows = 0;
        Map<Integer, List<Integer>> groups = new LinkedHashMap<>();
        for (int l = 0; l < layers; l++) {
            LayerKv kv = c.layer(l);
            for (int h = 0; h < heads; h++) {
                long[] pos = kv.positions(h);
                o.varint(pos.length);
                long prev = 0;
                for (long p : pos) {
                    long delta = p - prev;
                    o.varint((delta << 1) ^ (delta >> 63));
                    prev = p;
                }
                values += (long) pos.length * d * 2;
            }
            rows += kv.maxLength();
            if (kv.maxLength() > 0) {
                groups.computeIfAbsent(kv.maxLength(), k -> new ArrayList<>()).add(l);
            }
        }
        BinConfig all = BinConfig.level(s.level(), layers);
        CacheGenCodec codec = new CacheGenCodec();
        long coded = 0;
        o.i32(groups.size());
        for (Map.Entry<Integer, List<Integer>> g : groups.entrySet()) {
            int t = g.getKey();
            List<Integer> ls = g.getValue();
            float[][][][] k = new float[ls.size()][heads][t][d];
            float[][][][] v = new float[ls.size()][heads][t][d];
            int[] kb = new int[ls.size()];
            int[] vb = new int[ls.size()];
            for (int i = 0; i < ls.size(); i++) {
                LayerKv kv = c.layer(ls.get(i));
                kb[i] = all.keyBins()[ls.get(i)];
                vb[i] = all.valueBins()[ls.get(i)];
                for (int h = 0; h < heads; h++) {
                    for (int e = 0; e < kv.length(h); e++) {
                        k[i][h][e] = kv.key(h, e);
                        v[i][h][e] = kv.value(h, e);
                    }
                }
            }
            byte[] b = codec.encode(new dev.prism.codecs.cachegen.KvCache(k, v), new BinConfig(kb, vb)).bytes();
            o.i32(t).i32(ls.size()).ints(ls.stream().mapToInt(Integer::intValue).toArray()).i32(b.length).put(b);
            coded += b.length;
        }
        return new Encoded(o.finishWithCrc(), coded, values * 2, values + rows * 2 * Float.BYTES);
    }

    static State decode(byte[] data, int expectedModelId) {
        Bytes in = new Bytes(data, "caption context");
        in.magic(MAGIC);
        int version = in.u8("the version");
        CaptionException.check(version == VERSION, "caption context version " + version + " is not supported (this "
                + "build reads version " + VERSION + "): caption the segment again");
        boolean demo = (in.u8("the flags") & 1) != 0;
        int modelId = in.i32("the model id");
        CaptionException.check(modelId == expectedModelId, "caption context was made with another model (id "
                + Integer.toHexString(modelId) + ", this captioner's is " + Integer.toHexString(expectedModelId)
                + "): ask the captioner that produced it");
        int level = in.u8("the quality level");
        int rule = in.u8("the position rule");
        CaptionException.check(rule < PositionPolicy.values().length, "caption context position rule " + rule
                + " is unknown: the data is corrupt");
        long nextPos = in.i64("the next position");
        long seen = in.i64("the tokens seen");
        int layers = in.count("the layer count", 4096);
        int heads = in.count("the KV head count", 4096);
        int d = in.count("the head dimension", 1 << 16);
        long[] prompt = ids(in, "prompt ids");
        long[] sampled = ids(in, "sampled ids");
        int pending = (int) in.varint("the pending count");
        CaptionException.check(pending <= sampled.length, "caption context has " + pending + " pending of "
                + sampled.length + " sampled tokens: the data is corrupt");
        long[][][] positions = new long[layers][heads][];
        for (int l = 0; l < layers; l++) {
            for (int h = 0; h < heads; h++) {
                long n = in.varint("the length of layer " + l + " head " + h);
                CaptionException.check(n <= in.remaining(), "caption context: layer " + l + " head " + h + " claims "
                        + n + " entries, more than the data holds: truncated or corrupt");
                positions[l][h] = new long[(int) n];
                long prev = 0;
                for (int e = 0; e < n; e++) {
                    long z = in.varint("positions of layer " + l + " head " + h);
                    prev += (z >>> 1) ^ -(z & 1);
                    positions[l][h][e] = prev;
                }
            }
        }
        KvCache cache = new KvCache(layers, heads, d);
        int groups = in.count("the container count", layers);
        for (int g = 0; g < groups; g++) {
            int t = in.count("container " + g + "'s token count", Integer.MAX_VALUE);
            int nl = in.count("container " + g + "'s layer count", layers);
            int[] ls = in.ints(nl, "container " + g + "'s layers");
            int len = in.count("container " + g + "'s byte length", in.remaining());
            dev.prism.codecs.cachegen.KvCache kv = CacheGenCodec.decode(in.bytes(len, "container " + g));
            CaptionException.check(kv.layers() == nl && kv.tokens() == t && kv.kvHeads() == heads
                    && kv.headDim() == d, "caption context container " + g + " does not match its header: corrupt");
            for (int i = 0; i < nl; i++) {
                CaptionException.check(ls[i] >= 0 && ls[i] < layers, "caption context names layer " + ls[i]);
                fill(cache.layer(ls[i]), kv.keys()[i], kv.values()[i], positions[ls[i]], t);
            }
        }
        in.crcTrailer(data);
        for (int l = 0; l < layers; l++) {
            for (int h = 0; h < heads; h++) {
                CaptionException.check(cache.layer(l).length(h) == positions[l][h].length, "caption context layer "
                        + l + " head " + h + " holds " + cache.layer(l).length(h) + " entries, its header says "
                        + positions[l][h].length + ": corrupt");
            }
        }
        return new State(modelId, demo, level, PositionPolicy.values()[rule], nextPos, seen, prompt, sampled, pending,
                cache);
    }

    /** The sampled token ids (the caption, a final stop token included) read from the header only. */
    static long[] sampledIds(byte[] data) {
        Bytes in = new Bytes(data, "caption context");
        in.magic(MAGIC);
        int version = in.u8("the version");
        CaptionException.check(version == VERSION, "caption context version " + version + " is not supported");
        in.u8("the flags");
        in.i32("the model id");
        in.u8("the quality level");
        in.u8("the position rule");
        in.i64("the next position");
        in.i64("the tokens seen");
        in.i32("the layer count");
        in.i32("the KV head count");
        in.i32("the head dimension");
        ids(in, "prompt ids");
        return ids(in, "sampled ids");
    }

    private static void fill(LayerKv kv, float[][][] k, float[][][] v, long[][] positions, int t) {
        int heads = k.length;
        int d = k[0][0].length;
        FloatBuffer kb = ByteBuffer.allocateDirect(heads * t * d * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        FloatBuffer vb = ByteBuffer.allocateDirect(heads * t * d * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        long[] pos = new long[t];
        for (int e = 0; e < t; e++) {
            int h = 0;
            while (h < heads - 1 && positions[h].length <= e) {
                h++;
            }
            pos[e] = e < positions[h].length ? positions[h][e] : e;
        }
        for (int h = 0; h < heads; h++) {
            for (int e = 0; e < t; e++) {
                kb.put(k[h][e]);
                vb.put(v[h][e]);
            }
        }
        kb.flip();
        vb.flip();
        kv.append(kb, vb, t, pos);
        for (int h = 0; h < heads; h++) {
            if (positions[h].length < t) {
                int[] keep = new int[positions[h].length];
                java.util.Arrays.setAll(keep, i -> i);
                kv.gather(h, keep);
            }
        }
    }

    private static void ids(Bytes.Out o, long[] ids) {
        o.varint(ids.length);
        for (long id : ids) {
            o.varint(id);
        }
    }

    private static long[] ids(Bytes in, String what) {
        long n = in.varint("the number of " + what);
        CaptionException.check(n <= in.remaining(), "caption context claims " + n + " " + what + ", more than the "
                + "data holds: truncated or corrupt");
        long[] out = new long[(int) n];
        for (int i = 0; i < n; i++) {
            out[i] = in.varint(what);
        }
        return out;
    }
}
