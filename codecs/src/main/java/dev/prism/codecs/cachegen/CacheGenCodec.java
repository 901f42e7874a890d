package dev.prism.codecs.cachegen;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * CacheGen KV-cache codec (SIGCOMM 2024; ALGORITHMS.md 4): a cache is cut into token chunks (default 256, the LMCache
 * chunk; 1000 in CacheGen's adaptation runs), each encoded independently ({@link CacheGenChunkEncoder}) with its own
 * bin configuration, so chunks of different quality levels can be mixed in one container ({@link LevelSelector}).
 * Sub-streams hold at most 256 tokens and share their chunk's CDFs.
 *
 * <p>Container format: "PCG1", version 2, layers, kvHeads, headDim, tokens, chunk count (int32 each), the token layout
 * (u8 flag; when 1 a {@link TokenOrder}'s start, frames and patches per frame as int32; when 2 the CRC-32 of the
 * caller's {@link TokenRuns}, which the decoder must be given), the key RoPE table (u8 flag; when 1 a count
 * (int32) and that many float32 inverse frequencies, {@link KeyRope}), the CRC-32 of the header so far (the layout
 * and the frequencies change every decoded value), then per chunk its byte length (int32), its
 * CRC-32 (int32) and the chunk. Decoding checks every length and field and names the one that is cut short.
 * The paper's delta-vs-anchor encoding (4.5) is chosen per (layer, K/V) up to {@link Options#deltaGroup()} and only
 * where it is smaller; the scales go as fp16 ({@link Options#halfScales()}).
 */
public final class CacheGenCodec {
    static final byte[] MAGIC = {'P', 'C', 'G', '1'};
    static final int VERSION = 2;

    /**
     * Chunking, stream layout and the two side-information choices.
     *
     * @param deltaGroup largest delta-vs-anchor group tried per (layer, K/V) (0 or 1: plain only); each layer keeps
     *                   the cheaper of plain and delta and a chunk is never larger than its all-plain coding
     * @param halfScales send the per-token scales as fp16 rounded up (the bound holds for the sent scale); a chunk
     *                   with a scale beyond the fp16 range falls back to fp32
     */
    public record Options(int chunkTokens, int subStreamTokens, StreamGranularity granularity, int deltaGroup,
            boolean halfScales) {
        /** The delta groups tried by default: 2 and 4 (ALGORITHMS.md 4.5's G is unverified; measured, see the bench). */
        public static final int DEFAULT_DELTA_GROUP = 4;

        public Options(int chunkTokens, int subStreamTokens, StreamGranularity granularity) {
            this(chunkTokens, subStreamTokens, granularity, DEFAULT_DELTA_GROUP, true);
        }

        public Options(int chunkTokens, int subStreamTokens, StreamGranularity granularity, int deltaGroup) {
            this(chunkTokens, subStreamTokens, granularity, deltaGroup, true);
        }

        public Options {
            CacheGenException.check(deltaGroup >= 0 && deltaGroup <= 255, "deltaGroup " + deltaGroup
                    + " must be in [0, 255] (0 or 1: off)");
            CacheGenException.check(chunkTokens > 0 && chunkTokens <= 65535, "chunkTokens " + chunkTokens
                    + " must be in [1, 65535]");
            CacheGenException.check(subStreamTokens > 0, "subStreamTokens " + subStreamTokens + " must be positive");
            CacheGenException.check(granularity != null, "stream granularity missing");
        }

        /**
         * 256-token chunks (LMCache), 256-token sub-streams (CACHEGEN_GPU_MAX_TOKENS_PER_CHUNK), per-layer streams,
         * delta groups up to {@link #DEFAULT_DELTA_GROUP} chosen per layer, fp16 scales.
         */
        public static Options defaults() {
            return new Options(256, 256, StreamGranularity.PER_LAYER);
        }

        /** The reference's choices: no delta, fp32 scales (the "before" of the side-information savings). */
        public static Options reference() {
            return new Options(256, 256, StreamGranularity.PER_LAYER, 0, false);
        }

        public Options withDeltaGroup(int g) {
            return new Options(chunkTokens, subStreamTokens, granularity, g, halfScales);
        }

        public Options withChunkTokens(int t) {
            return new Options(t, subStreamTokens, granularity, deltaGroup, halfScales);
        }

        public Options withHalfScales(boolean h) {
            return new Options(chunkTokens, subStreamTokens, granularity, deltaGroup, h);
        }
    }

    /** Size figures of an encoding: payload = range-coded symbol bytes; shannon = ideal bits of the same symbols. */
    public record Stats(long totalBytes, long payloadBytes, double shannonBits, double modelBits, long symbols) {
        public long sideInfoBytes() {
            return totalBytes - payloadBytes;
        }

        /** Coded payload bits over the empirical entropy of the symbols (per (layer, channel) and chunk). */
        public double overheadVsEntropy() {
            return payloadBytes * 8.0 / shannonBits;
        }
    }

    /** A container and its statistics. */
    public record Encoded(byte[] bytes, Stats stats) {
    }

    /** One independently coded chunk. */
    public record Chunk(int startToken, int tokens, byte[] bytes, Stats stats) {
    }

    private final Options options;

    public CacheGenCodec(Options options) {
        this.options = options;
    }

    public CacheGenCodec() {
        this(Options.defaults());
    }

    /** Encodes the whole cache with one bin configuration, tokens in raster order. */
    public Encoded encode(KvCache kv, BinConfig bins) {
        return encode(kv, bins, null);
    }

    /**
     * Encodes the whole cache; with a video layout the vision tokens are coded patch-major so that delta groups
     * anchor on the same patch in an earlier frame ({@link TokenOrder}). Only a cache that still holds every token
     * of the layout (unpruned) has that structure.
     */
    public Encoded encode(KvCache kv, BinConfig bins, TokenLayout layout) {
        return encode(kv, bins, layout, null);
    }

    /**
     * As {@link #encode(KvCache, BinConfig, TokenLayout)}, with the model's RoPE frequencies so that key anchors are
     * turned to each member's position ({@link KeyRope}): token indices under a {@link TokenOrder} (an unpruned
     * cache), the given positions under {@link TokenRuns}.
     */
    public Encoded encode(KvCache kv, BinConfig bins, TokenLayout layout, KeyRope rope) {
        return assemble(kv, encodeChunks(kv, bins, layout, rope), layout, rope);
    }

    /** Encodes the cache's chunks one by one (for per-chunk level choice, see {@link LevelSelector}). */
    public List<Chunk> encodeChunks(KvCache kv, BinConfig bins) {
        return encodeChunks(kv, bins, null);
    }

    /** As {@link #encodeChunks(KvCache, BinConfig)}; chunk start tokens are coded positions under the layout. */
    public List<Chunk> encodeChunks(KvCache kv, BinConfig bins, TokenLayout layout) {
        return encodeChunks(kv, bins, layout, null);
    }

    /** Chunks coded with key anchors turned by {@code rope}; assemble them with the same layout and rope. */
    public List<Chunk> encodeChunks(KvCache kv, BinConfig bins, TokenLayout layout, KeyRope rope) {
        CodingOrder order = CodingOrder.of(layout, kv.tokens());
        List<Chunk> out = new ArrayList<>();
        for (int t0 = 0; t0 < kv.tokens(); t0 += options.chunkTokens()) {
            int n = Math.min(options.chunkTokens(), kv.tokens() - t0);
            CacheGenChunkEncoder.Result r = CacheGenChunkEncoder.encode(kv, order, rope, t0, n, bins,
                    options.subStreamTokens(), options.granularity(), options.deltaGroup(), options.halfScales());
            out.add(new Chunk(t0, n, r.bytes(),
                    new Stats(r.bytes().length, r.payloadBytes(), r.shannonBits(), r.modelBits(), r.symbols())));
        }
        return out;
    }

    /** Encodes every chunk at quality levels 1, 2 and 3: result[level - 1] lists the chunks. */
    public List<List<Chunk>> encodeLevels(KvCache kv) {
        return encodeLevels(kv, null, null);
    }

    /** As {@link #encodeLevels(KvCache)} under a layout and key RoPE table (either null); assemble with the same. */
    public List<List<Chunk>> encodeLevels(KvCache kv, TokenLayout layout, KeyRope rope) {
        List<List<Chunk>> out = new ArrayList<>();
        for (int level = 1; level <= 3; level++) {
            out.add(encodeChunks(kv, BinConfig.level(level, kv.layers()), layout, rope));
        }
        return out;
    }

    /** Packs contiguous chunks (in token order, any mix of levels) into a container for {@code kv}'s shape. */
    public static Encoded assemble(KvCache shape, List<Chunk> chunks) {
        return assemble(shape, chunks, null);
    }

    /** As {@link #assemble(KvCache, List)} for chunks encoded under {@code layout} (null: raster). */
    public static Encoded assemble(KvCache shape, List<Chunk> chunks, TokenLayout layout) {
        return assemble(shape, chunks, layout, null);
    }

    /** As {@link #assemble(KvCache, List, TokenLayout)} for chunks whose key anchors were turned by {@code rope}. */
    public static Encoded assemble(KvCache shape, List<Chunk> chunks, TokenLayout layout, KeyRope rope) {
        CodingOrder.of(layout, shape.tokens());
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        long payload = 0;
        double shannon = 0;
        double model = 0;
        long symbols = 0;
        int next = 0;
        try (DataOutputStream out = new DataOutputStream(buf)) {
            out.write(MAGIC);
            out.writeByte(VERSION);
            out.writeInt(shape.layers());
            out.writeInt(shape.kvHeads());
            out.writeInt(shape.headDim());
            out.writeInt(shape.tokens());
            out.writeInt(chunks.size());
            if (layout instanceof TokenOrder grid) {
                out.writeByte(1);
                out.writeInt(grid.start());
                out.writeInt(grid.frames());
                out.writeInt(grid.patchesPerFrame());
            } else if (layout instanceof TokenRuns runs) {
                out.writeByte(2);
                out.writeInt(runs.checksum());
            } else {
                out.writeByte(0);
            }
            out.writeByte(rope == null ? 0 : 1);
            if (rope != null) {
                out.writeInt(rope.inverseFrequencies().length);
                for (float f : rope.inverseFrequencies()) {
                    out.writeFloat(f);
                }
            }
            out.flush();
            out.writeInt(crc(buf.toByteArray(), 0, buf.size()));
            for (Chunk c : chunks) {
                CacheGenException.check(c.startToken() == next, "chunk starting at token " + c.startToken()
                        + " follows tokens up to " + next + ": pass the chunks contiguous and in order");
                next += c.tokens();
                out.writeInt(c.bytes().length);
                out.writeInt(crc(c.bytes(), 0, c.bytes().length));
                out.write(c.bytes());
                payload += c.stats().payloadBytes();
                shannon += c.stats().shannonBits();
                model += c.stats().modelBits();
                symbols += c.stats().symbols();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CacheGenException.check(next == shape.tokens(), "chunks cover " + next + " tokens of " + shape.tokens());
        byte[] bytes = buf.toByteArray();
        return new Encoded(bytes, new Stats(bytes.length, payload, shannon, model, symbols));
    }

    /** Decodes a container back into a cache (one coded without {@link TokenRuns}). */
    public static KvCache decode(byte[] data) {
        return decode(data, null);
    }

    /**
     * Decodes a container whose token runs are kept by the caller: {@code runs} must be the ones it was encoded with
     * (checked against the CRC-32 in the header); null for containers coded raster or with a {@link TokenOrder}.
     */
    public static KvCache decode(byte[] data, TokenRuns runs) {
        ByteReader in = new ByteReader(data, 0, data == null ? 0 : data.length, "CacheGen stream");
        in.magic(MAGIC, "container magic");
        int version = in.u8("container version");
        CacheGenException.check(version == VERSION, "CacheGen container version " + version
                + " is not supported (this build reads version " + VERSION + ")");
        int layers = in.i32("layer count");
        int heads = in.i32("KV head count");
        int dim = in.i32("head dimension");
        int tokens = in.i32("token count");
        int chunks = in.i32("chunk count");
        TokenLayout layout = null;
        int layoutFlag = in.u8("token layout flag");
        CacheGenException.check(layoutFlag <= 2, "CacheGen token layout flag " + layoutFlag + " is unknown: corrupt");
        int runsCrc = 0;
        if (layoutFlag == 2) {
            runsCrc = in.i32("token runs checksum");
        } else if (layoutFlag == 1) {
            int start = in.i32("layout start");
            int frames = in.i32("layout frames");
            int patches = in.i32("layout patches per frame");
            CacheGenException.check(start >= 0 && frames >= 1 && patches >= 1 && tokens > 0
                    && start + (long) frames * patches <= tokens, "CacheGen token layout (start " + start + ", "
                    + frames + " frames x " + patches + " patches) does not fit " + tokens + " tokens: corrupt");
            layout = new TokenOrder(start, frames, patches);
        }
        KeyRope rope = null;
        if (in.u8("key RoPE flag") != 0) {
            int count = in.i32("RoPE frequency count");
            CacheGenException.check(count > 0 && count <= 32768 && 2 * count == dim, "CacheGen container lists "
                    + count + " RoPE frequencies for head dimension " + dim + ": corrupt");
            in.need(4 * count, "RoPE frequencies");
            float[] f = new float[count];
            for (int i = 0; i < count; i++) {
                f[i] = in.f32("RoPE frequency " + i);
            }
            rope = new KeyRope(f);
        }
        int headerEnd = in.position();
        CacheGenException.check(in.i32("header checksum") == crc(data, 0, headerEnd), "CacheGen container header "
                + "(bytes 0.." + headerEnd + ") fails its CRC-32: the stream was corrupted in storage or transit");
        if (layoutFlag == 2) {
            CacheGenException.check(runs != null, "this CacheGen container was coded with token runs kept by its "
                    + "owner (a pruned caption context): decode it with decode(data, runs) and the same runs");
            CacheGenException.check(runs.keys().length == tokens && runs.checksum() == runsCrc, "the token runs given ("
                    + runs.keys().length + " tokens) are not the ones this CacheGen container was coded with (" + tokens
                    + " tokens, CRC-32 " + Integer.toHexString(runsCrc) + "): the owner's metadata and the container "
                    + "do not belong together");
            layout = runs;
        }
        CacheGenException.check(layers > 0 && heads > 0 && dim > 0 && tokens > 0 && chunks > 0 && chunks <= tokens,
                "CacheGen container header is corrupt: " + layers + " layers, " + heads + " heads, headDim " + dim
                        + ", " + tokens + " tokens, " + chunks + " chunks");
        // every token of every layer carries two scales of at least 2 bytes, so a valid stream is that long
        CacheGenException.check(4L * layers * tokens <= data.length && (long) heads * dim <= 65536,
                "CacheGen container claims " + layers + " layers x " + tokens + " tokens x " + heads + "x" + dim
                        + " channels, more than " + data.length + " bytes can hold: the header is corrupt or truncated");
        KvCache out = KvCache.zeros(layers, heads, tokens, dim);
        CodingOrder order = CodingOrder.of(layout, tokens);
        int next = 0;
        for (int i = 0; i < chunks; i++) {
            int len = in.i32("length of chunk " + i);
            int crc = in.i32("checksum of chunk " + i);
            int at = in.take(len, "chunk " + i);
            CacheGenException.check(crc(data, at, len) == crc, "CacheGen chunk " + i + " (bytes " + at + ".."
                    + (at + len) + ") fails its CRC-32: the stream was corrupted in storage or transit");
            ByteReader chunk = new ByteReader(data, at, len, "CacheGen chunk " + i);
            CacheGenChunkDecoder.Header h = CacheGenChunkDecoder.header(chunk);
            CacheGenException.check(h.startToken() == next && h.layers() == layers && h.kvHeads() == heads
                    && h.headDim() == dim, "CacheGen chunk " + i + " (start " + h.startToken() + ", " + h.layers()
                    + "x" + h.kvHeads() + "x" + h.headDim() + ") does not continue the container at token " + next);
            CacheGenChunkDecoder.body(chunk, h, out, order, rope);
            next += h.tokens();
        }
        CacheGenException.check(next == tokens, "CacheGen chunks cover " + next + " of " + tokens + " tokens: truncated");
        CacheGenException.check(in.remaining() == 0, "CacheGen stream has " + in.remaining()
                + " trailing bytes after the last chunk: corrupt or concatenated");
        return out;
    }

    private static int crc(byte[] b, int off, int len) {
        java.util.zip.CRC32 c = new java.util.zip.CRC32();
        c.update(b, off, len);
        return (int) c.getValue();
    }
}
