package dev.prism.vision.caption;

import dev.prism.codecs.cachegen.BinConfig;
import dev.prism.codecs.cachegen.CacheGenCodec;
import dev.prism.codecs.cachegen.CacheGenException;
import dev.prism.codecs.cachegen.KeyRope;
import dev.prism.codecs.cachegen.TokenRuns;
import dev.prism.llm.generate.PositionPolicy;
import dev.prism.llm.kv.KvCache;
import dev.prism.llm.kv.LayerKv;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A caption's conversation state for follow-up questions: the final KV cache encoded with CacheGen (ALGORITHMS.md 4:
 * per-token quantization with the quality level's layer-grouped bins, per-(layer, channel) CDFs, range coding,
 * 256-token chunks) plus what continuing needs: prompt and sampled token ids (the last sampled one is not in the cache
 * yet), the next RoPE position, the tokens seen, and per layer and KV head the entries' lengths and positions.
 *
 * <p>CacheGen codes a rectangular [layers][heads][tokens][headDim] cache, while after stage B, stage C, PLPHP and
 * Elastic Cache the layers hold different token sets and PLPHP leaves heads ragged. A layer whose heads hold the same
 * entries is coded whole; ragged layers either head by head (one scale per token and head, with delta runs) or padded
 * to their longest head with zeros (one scale per row, no runs: a row holds a different token in each head), whichever
 * makes the smaller context. Entries with the same positions and the same delta runs share one CacheGen container.
 *
 * <p>Delta runs (ALGORITHMS.md 4.5 over pruned tokens, {@code TokenRuns}): the context records where each prompt token
 * came from ({@link Layout}: the vision batch's patch key per prompt token and each layer's prefill rows after
 * MustDrop stage B's renumbering), so a cached vision token anchors on the same image region in the last frame that
 * kept it, and key anchors are turned by the RoPE angle between the two positions. Both sides derive the runs from
 * this metadata and the stored positions: a row of layer l at position q is prompt token rows_l[q] while positions
 * still increase and q is below the layer's prefill length; decoded tokens are never in a run. The derivation only
 * steers compression: any runs decode exactly, and a container checks that the decoder's runs are its own.
 *
 * <p>Format (version 2): "PCTX", version, flags, model id, level, position rule, next position, tokens seen, shape,
 * varint ids, the pending count, patch keys (varint count, then key + 1 per prompt token, 0 = not a vision token),
 * prefill row maps (varint count, each a bitmap over the prompt; then per layer its map, 0 = every prompt token),
 * varint lengths and zigzag-delta positions, then the containers (kind: 0 whole layers, 1 single heads, 2 ragged layers
 * padded to their longest head; tokens; entry count; layers; heads for kind 1; byte length; bytes), then a CRC-32.
 * Version 1 contexts are refused.
 */
final class CaptionContext {
    static final byte[] MAGIC = "PCTX".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 2;

    /** A decoded context. */
    record State(int modelId, boolean demo, int level, PositionPolicy positions, long nextPos, long seen,
            long[] promptIds, long[] sampled, int pending, KvCache cache) {
    }

    /** Encoded bytes and size figures: CacheGen payload vs fp16 and plain 8-bit (1 byte per value + fp32 token scales). */
    record Encoded(byte[] bytes, long cacheGenBytes, long fp16Bytes, long int8Bytes) {
    }

    /**
     * Where the cached prompt tokens came from, for the delta runs.
     *
     * @param promptKeys  per prompt token its vision patch key, -1 for text and markup (null: none known)
     * @param prefillRows per layer the prompt indices its prefill rows hold, ascending (null, or a null entry: all)
     * @param rope        the decoder's RoPE frequencies for turning key anchors (null: anchors used as they are)
     */
    record Layout(int[] promptKeys, int[][] prefillRows, KeyRope rope) {
        static final Layout NONE = new Layout(null, null, null);
    }

    private CaptionContext() {
    }

    static Encoded encode(State s) {
        return encode(s, Layout.NONE);
    }

    /** How ragged layers are coded: the smaller of the two, or one of them (for tests and measurements). */
    enum Ragged { SMALLER, PER_HEAD, PADDED }

    static Encoded encode(State s, Layout layout) {
        return encode(s, layout, Ragged.SMALLER);
    }

    static Encoded encode(State s, Layout layout, Ragged mode) {
        KvCache c = s.cache();
        int layers = c.layers();
        LayerKv first = c.layer(0);
        int heads = first.kvHeads();
        int d = first.headDim();
        int n = s.promptIds().length;
        Bytes.Out o = new Bytes.Out().put(MAGIC).u8(VERSION).u8(s.demo() ? 1 : 0).i32(s.modelId()).u8(s.level())
                .u8(s.positions().ordinal()).i64(s.nextPos()).i64(s.seen()).i32(layers).i32(heads).i32(d);
        ids(o, s.promptIds());
        ids(o, s.sampled());
        o.varint(s.pending());
        // what is written is what both sides derive the runs from: any negative key means "no run"
        int[] keys = layout.promptKeys() != null && layout.promptKeys().length == n
                ? Arrays.stream(layout.promptKeys()).map(k -> Math.max(-1, k)).toArray() : null;
        o.varint(keys == null ? 0 : n);
        for (int i = 0; keys != null && i < n; i++) {
            o.varint(keys[i] + 1L);
        }
        int[][] rows = rowMaps(layout.prefillRows(), layers, n);
        writeRowMaps(o, rows, n);
        long values = 0;
        long rows8 = 0;
        long[][][] positions = new long[layers][heads][];
        for (int l = 0; l < layers; l++) {
            LayerKv kv = c.layer(l);
            for (int h = 0; h < heads; h++) {
                long[] pos = kv.positions(h);
                positions[l][h] = pos;
                o.varint(pos.length);
                long prev = 0;
                for (long p : pos) {
                    long delta = p - prev;
                    o.varint((delta << 1) ^ (delta >> 63));
                    prev = p;
                }
                values += (long) pos.length * d * 2;
            }
            rows8 += kv.maxLength();
        }
        BinConfig all = BinConfig.level(s.level(), layers);
        List<Container> chosen = containers(c, positions, rows, keys, all, layout.rope(), mode != Ragged.PADDED);
        boolean ragged = false;
        for (long[][] p : positions) {
            ragged |= !uniform(p);
        }
        if (ragged && mode == Ragged.SMALLER) {
            // head by head pays a scale per head and token; padding the heads to one length pays for the padding and
            // loses the runs: keep whichever is smaller for this context
            List<Container> padded = containers(c, positions, rows, keys, all, layout.rope(), false);
            if (size(padded) < size(chosen)) {
                chosen = padded;
            }
        }
        o.i32(chosen.size());
        for (Container k : chosen) {
            o.u8(k.kind()).i32(k.tokens()).i32(k.layers().length).ints(k.layers());
            if (k.kind() == HEADS) {
                o.ints(k.heads());
            }
            o.i32(k.bytes().length).put(k.bytes());
        }
        // plain 8-bit: one byte per value and an fp32 scale per token (row) of each K and V layer
        return new Encoded(o.finishWithCrc(), size(chosen), values * 2, values + rows8 * 2 * Float.BYTES);
    }

    /** Container kinds: whole layers whose heads hold the same entries, single heads, ragged layers padded. */
    static final int LAYERS = 0;
    static final int HEADS = 1;
    static final int PADDED = 2;

    /** One CacheGen container and the (layer[, head]) entries it holds. */
    private record Container(int kind, int tokens, int[] layers, int[] heads, byte[] bytes) {
    }

    private static long size(List<Container> cs) {
        return cs.stream().mapToLong(k -> k.bytes().length).sum();
    }

    /**
     * Codes the cache: layers whose heads agree as whole layers with their delta runs; ragged layers head by head
     * (with runs) or, when {@code perHead} is false, padded to their longest head (no runs: a row then holds a
     * different token in each head).
     */
    private static List<Container> containers(KvCache c, long[][][] positions, int[][] rows, int[] keys,
            BinConfig all, KeyRope rope, boolean perHead) {
        int heads = c.layer(0).kvHeads();
        Map<Group, List<int[]>> groups = new LinkedHashMap<>();
        for (int l = 0; l < positions.length; l++) {
            if (uniform(positions[l])) {
                long[] pos = positions[l][0];
                if (pos.length > 0) {
                    groups.computeIfAbsent(new Group(LAYERS, heads, pos, runKeys(pos, rows[l], keys)),
                            g -> new ArrayList<>()).add(new int[] {l, -1});
                }
            } else if (perHead) {
                for (int h = 0; h < heads; h++) {
                    long[] pos = positions[l][h];
                    if (pos.length > 0) {
                        groups.computeIfAbsent(new Group(HEADS, 1, pos, runKeys(pos, rows[l], keys)),
                                g -> new ArrayList<>()).add(new int[] {l, h});
                    }
                }
            } else {
                int t = c.layer(l).maxLength();
                groups.computeIfAbsent(new Group(PADDED, heads, new long[t], new int[0]), g -> new ArrayList<>())
                        .add(new int[] {l, -1});
            }
        }
        CacheGenCodec codec = new CacheGenCodec();
        List<Container> out = new ArrayList<>();
        for (Map.Entry<Group, List<int[]>> e : groups.entrySet()) {
            Group g = e.getKey();
            List<int[]> entries = e.getValue();
            int t = g.positions.length;
            float[][][][] k = new float[entries.size()][g.heads][t][];
            float[][][][] v = new float[entries.size()][g.heads][t][];
            int[] kb = new int[entries.size()];
            int[] vb = new int[entries.size()];
            for (int i = 0; i < entries.size(); i++) {
                int l = entries.get(i)[0];
                LayerKv kv = c.layer(l);
                kb[i] = all.keyBins()[l];
                vb[i] = all.valueBins()[l];
                for (int j = 0; j < g.heads; j++) {
                    int h = g.kind == HEADS ? entries.get(i)[1] : j;
                    for (int r = 0; r < t; r++) {
                        boolean live = r < kv.length(h);
                        k[i][j][r] = live ? kv.key(h, r) : new float[kv.headDim()];
                        v[i][j][r] = live ? kv.value(h, r) : new float[kv.headDim()];
                    }
                }
            }
            TokenRuns runs = g.runs();
            byte[] b = codec.encode(new dev.prism.codecs.cachegen.KvCache(k, v), new BinConfig(kb, vb), runs,
                    runs == null ? null : rope).bytes();
            out.add(new Container(g.kind, t, entries.stream().mapToInt(x -> x[0]).toArray(),
                    entries.stream().mapToInt(x -> x[1]).toArray(), b));
        }
        return out;
    }

    /** Entries coded in one container: same head count, positions and runs. */
    private record Group(int kind, int heads, long[] positions, int[] keys) {
        TokenRuns runs() {
            for (int k : keys) {
                if (k >= 0) {
                    return new TokenRuns(keys, positions);
                }
            }
            return null;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Group g && kind == g.kind && heads == g.heads && Arrays.equals(positions, g.positions)
                    && Arrays.equals(keys, g.keys);
        }

        @Override
        public int hashCode() {
            return ((kind * 31 + heads) * 31 + Arrays.hashCode(positions)) * 31 + Arrays.hashCode(keys);
        }
    }

    private static boolean uniform(long[][] byHead) {
        for (long[] p : byHead) {
            if (!Arrays.equals(p, byHead[0])) {
                return false;
            }
        }
        return true;
    }

    /**
     * The delta-run key of each row (see the class comment): the patch key of prompt token rows[q] for a row at
     * position q while positions increase and stay below the prefill length, else -1.
     */
    static int[] runKeys(long[] positions, int[] rows, int[] promptKeys) {
        int[] out = new int[positions.length];
        Arrays.fill(out, -1);
        if (promptKeys == null) {
            return out;
        }
        long limit = rows == null ? promptKeys.length : rows.length;
        long last = -1;
        for (int e = 0; e < positions.length; e++) {
            long q = positions[e];
            if (q <= last || q >= limit) {
                continue;
            }
            last = q;
            int prompt = rows == null ? (int) q : rows[(int) q];
            out[e] = prompt >= 0 && prompt < promptKeys.length ? promptKeys[prompt] : -1;
        }
        return out;
    }

    /** Per layer its prefill rows, null where they are every prompt token in order (or unknown). */
    private static int[][] rowMaps(int[][] given, int layers, int n) {
        int[][] out = new int[layers][];
        for (int l = 0; given != null && l < Math.min(layers, given.length); l++) {
            int[] r = given[l];
            boolean identity = r == null || r.length == n;
            for (int i = 0; r != null && i < r.length; i++) {
                CaptionException.check(r[i] >= 0 && r[i] < n && (i == 0 || r[i] > r[i - 1]), "prefill rows of layer "
                        + l + " must be ascending prompt indices below " + n);
                identity &= r[i] == i;
            }
            out[l] = identity ? null : r.clone();
        }
        return out;
    }

    private static void writeRowMaps(Bytes.Out o, int[][] rows, int n) {
        List<int[]> distinct = new ArrayList<>();
        int[] index = new int[rows.length];
        for (int l = 0; l < rows.length; l++) {
            if (rows[l] == null) {
                continue;
            }
            int found = -1;
            for (int i = 0; i < distinct.size() && found < 0; i++) {
                found = Arrays.equals(distinct.get(i), rows[l]) ? i : -1;
            }
            if (found < 0) {
                distinct.add(rows[l]);
                found = distinct.size() - 1;
            }
            index[l] = found + 1;
        }
        o.varint(distinct.size());
        for (int[] r : distinct) {
            byte[] bits = new byte[(n + 7) / 8];
            for (int i : r) {
                bits[i >> 3] |= (byte) (1 << (i & 7));
            }
            o.put(bits);
        }
        for (int i : index) {
            o.varint(i);
        }
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
        int n = prompt.length;
        long nk = in.varint("the patch key count");
        CaptionException.check(nk == 0 || nk == n, "caption context lists " + nk + " patch keys for " + n
                + " prompt tokens: corrupt");
        int[] keys = nk == 0 ? null : new int[n];
        for (int i = 0; keys != null && i < n; i++) {
            long k = in.varint("the patch keys");
            CaptionException.check(k <= Integer.MAX_VALUE, "caption context patch key " + k + " is out of range");
            keys[i] = (int) k - 1;
        }
        int[][] rows = readRowMaps(in, layers, n);
        long[][][] positions = new long[layers][heads][];
        for (int l = 0; l < layers; l++) {
            for (int h = 0; h < heads; h++) {
                long len = in.varint("the length of layer " + l + " head " + h);
                CaptionException.check(len <= in.remaining(), "caption context: layer " + l + " head " + h + " claims "
                        + len + " entries, more than the data holds: truncated or corrupt");
                positions[l][h] = new long[(int) len];
                long prev = 0;
                for (int e = 0; e < len; e++) {
                    long z = in.varint("positions of layer " + l + " head " + h);
                    prev += (z >>> 1) ^ -(z & 1);
                    positions[l][h][e] = prev;
                }
            }
        }
        float[][][][] kRows = new float[layers][heads][][];
        float[][][][] vRows = new float[layers][heads][][];
        int groups = in.count("the container count", layers * heads);
        for (int g = 0; g < groups; g++) {
            int kind = in.u8("container " + g + "'s kind");
            CaptionException.check(kind <= PADDED, "caption context container " + g + " has unknown kind " + kind);
            int t = in.count("container " + g + "'s token count", Integer.MAX_VALUE);
            int ne = in.count("container " + g + "'s entry count", layers * heads);
            int[] ls = in.ints(ne, "container " + g + "'s layers");
            int[] hs = kind == HEADS ? in.ints(ne, "container " + g + "'s heads") : null;
            int len = in.count("container " + g + "'s byte length", in.remaining());
            for (int i = 0; i < ne; i++) {
                CaptionException.check(ls[i] >= 0 && ls[i] < layers && (hs == null || hs[i] >= 0 && hs[i] < heads),
                        "caption context container " + g + " names layer " + ls[i] + (hs == null ? "" : " head "
                                + hs[i]) + ", outside the cache: corrupt");
            }
            long[] pos = positions[ls[0]][hs == null ? 0 : hs[0]];
            CaptionException.check(kind == PADDED || pos.length == t, "caption context container " + g + " holds " + t
                    + " tokens, its first entry's header says " + pos.length + ": corrupt");
            int[] runKeys = kind == PADDED ? new int[0] : runKeys(pos, rows[ls[0]], keys);
            TokenRuns runs = Arrays.stream(runKeys).anyMatch(k -> k >= 0) ? new TokenRuns(runKeys, pos) : null;
            dev.prism.codecs.cachegen.KvCache kv;
            try {
                kv = CacheGenCodec.decode(in.bytes(len, "container " + g), runs);
            } catch (CacheGenException e) {
                throw new CaptionException("caption context container " + g + " cannot be decoded: " + e.getMessage());
            }
            int eh = hs == null ? heads : 1;
            CaptionException.check(kv.layers() == ne && kv.tokens() == t && kv.kvHeads() == eh && kv.headDim() == d,
                    "caption context container " + g + " does not match its header: corrupt");
            for (int i = 0; i < ne; i++) {
                for (int j = 0; j < eh; j++) {
                    int h = hs == null ? j : hs[i];
                    int live = positions[ls[i]][h].length;
                    CaptionException.check(kRows[ls[i]][h] == null && (kind == PADDED ? live <= t : live == t),
                            "caption context container " + g + " repeats or misfits layer " + ls[i] + " head " + h);
                    kRows[ls[i]][h] = Arrays.copyOf(kv.keys()[i][j], live);
                    vRows[ls[i]][h] = Arrays.copyOf(kv.values()[i][j], live);
                }
            }
        }
        in.crcTrailer(data);
        KvCache cache = new KvCache(layers, heads, d);
        for (int l = 0; l < layers; l++) {
            for (int h = 0; h < heads; h++) {
                CaptionException.check(kRows[l][h] != null || positions[l][h].length == 0, "caption context has no "
                        + "data for layer " + l + " head " + h + " (" + positions[l][h].length + " entries): corrupt");
            }
            fill(cache.layer(l), kRows[l], vRows[l], positions[l], d);
        }
        return new State(modelId, demo, level, PositionPolicy.values()[rule], nextPos, seen, prompt, sampled, pending,
                cache);
    }

    private static int[][] readRowMaps(Bytes in, int layers, int n) {
        long c = in.varint("the prefill row map count");
        CaptionException.check(c <= layers, "caption context lists " + c + " prefill row maps for " + layers
                + " layers: corrupt");
        int count = (int) c;
        List<int[]> maps = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] bits = in.bytes((n + 7) / 8, "prefill row map " + i);
            maps.add(java.util.stream.IntStream.range(0, n).filter(j -> (bits[j >> 3] & (1 << (j & 7))) != 0)
                    .toArray());
        }
        int[][] rows = new int[layers][];
        for (int l = 0; l < layers; l++) {
            long m = in.varint("layer " + l + "'s prefill row map");
            CaptionException.check(m <= count, "caption context layer " + l + " names prefill row map " + m + " of "
                    + count + ": corrupt");
            rows[l] = m == 0 ? null : maps.get((int) m - 1);
        }
        return rows;
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

    /**
     * Restores one layer. Heads with the same entries go in as they are; a ragged layer goes in head after head (each
     * head's rows appended with its own positions, zero in the other heads, then every head gathers its own block), so
     * every head gets back its exact positions.
     */
    private static void fill(LayerKv kv, float[][][] k, float[][][] v, long[][] positions, int d) {
        int heads = positions.length;
        if (uniform(positions)) {
            int t = positions[0].length;
            if (t > 0) {
                kv.append(rows(k, heads, t, d, -1), rows(v, heads, t, d, -1), t, positions[0]);
            }
            return;
        }
        int total = 0;
        int[] start = new int[heads];
        for (int h = 0; h < heads; h++) {
            start[h] = total;
            int t = positions[h].length;
            if (t > 0) {
                kv.append(rows(k, heads, t, d, h), rows(v, heads, t, d, h), t, positions[h]);
            }
            total += t;
        }
        for (int h = 0; h < heads; h++) {
            int[] keep = new int[positions[h].length];
            final int s0 = start[h];
            Arrays.setAll(keep, i -> s0 + i);
            kv.gather(h, keep);
        }
        kv.compact();
    }

    /** [heads, t, d] rows: every head's own rows, or only head {@code only}'s with zeros elsewhere (only >= 0). */
    private static FloatBuffer rows(float[][][] x, int heads, int t, int d, int only) {
        FloatBuffer b = ByteBuffer.allocateDirect(heads * t * d * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (int h = 0; h < heads; h++) {
            for (int e = 0; e < t; e++) {
                if (only < 0 || h == only) {
                    b.put(x[h][e]);
                } else {
                    b.position(b.position() + d);
                }
            }
        }
        b.flip();
        return b;
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
