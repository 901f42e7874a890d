package dev.prism.codecs.cachegen;

import dev.prism.codecs.entropy.CorruptStreamException;
import dev.prism.codecs.entropy.HistogramCoder;
import dev.prism.codecs.entropy.RangeDecoder;
import dev.prism.codecs.entropy.StaticFrequencyModel;

/** Inverse of {@link CacheGenChunkEncoder}: parses one chunk and writes its tokens into a cache of the same shape. */
final class CacheGenChunkDecoder {
    private CacheGenChunkDecoder() {
    }

    /** The fixed-size part of a chunk header, read before the caller allocates. */
    record Header(int layers, int kvHeads, int headDim, int tokens, int startToken, StreamGranularity granularity,
            int subStreamTokens, boolean halfScales, BinConfig bins, int[] groups) {
    }

    static Header header(ByteReader in) {
        in.magic(CacheGenChunkEncoder.MAGIC, "chunk magic");
        int version = in.u8("chunk version");
        CacheGenException.check(version == CacheGenChunkEncoder.VERSION, "CacheGen chunk version " + version
                + " is not supported (this build reads version " + CacheGenChunkEncoder.VERSION + ")");
        int layers = in.i32("layer count");
        int heads = in.i32("KV head count");
        int dim = in.i32("head dimension");
        int tokens = in.i32("chunk token count");
        int start = in.i32("chunk start token");
        int g = in.u8("stream granularity");
        int sub = in.i32("sub-stream token count");
        int scaleFormat = in.u8("scale format");
        CacheGenException.check(layers > 0 && heads > 0 && dim > 0 && tokens > 0 && tokens <= 65535 && start >= 0
                && sub > 0 && scaleFormat <= 1 && g < StreamGranularity.values().length, "CacheGen chunk header is corrupt: layers "
                + layers + ", heads " + heads + ", headDim " + dim + ", tokens " + tokens + ", start " + start
                + ", granularity " + g + ", sub-stream tokens " + sub + ", scale format " + scaleFormat);
        CacheGenException.check((long) layers * heads * dim * tokens < (1L << 31), "CacheGen chunk header claims "
                + layers + "x" + heads + "x" + dim + "x" + tokens + " values: too large, the header is corrupt");
        int[] kb = new int[layers];
        int[] vb = new int[layers];
        for (int l = 0; l < layers; l++) {
            kb[l] = 2 * in.u8("K bins");
        }
        for (int l = 0; l < layers; l++) {
            vb[l] = 2 * in.u8("V bins");
        }
        int[] groups = new int[2 * layers];
        for (int kl = 0; kl < 2 * layers; kl++) {
            groups[kl] = in.u8("delta group size");
            CacheGenException.check(groups[kl] != 1, "CacheGen chunk names delta group size 1 for layer " + kl
                    + ": corrupt (plain layers say 0)");
        }
        return new Header(layers, heads, dim, tokens, start, StreamGranularity.values()[g], sub, scaleFormat == 1,
                new BinConfig(kb, vb), groups);
    }

    /**
     * Decodes the rest of the chunk after {@link #header} into {@code out}: coded position p goes to original token
     * co.order[p]; {@code co} also fixes the delta anchors.
     */
    static void body(ByteReader in, Header h, KvCache out, CodingOrder co, KeyRope rope) {
        int l2 = 2 * h.layers();
        int n = h.tokens();
        int c = h.kvHeads() * h.headDim();
        CacheGenException.check(out.layers() == h.layers() && out.channels() == c && out.kvHeads() == h.kvHeads()
                && h.startToken() + n <= out.tokens(), "CacheGen chunk at token " + h.startToken() + " does not fit the "
                + "container's cache shape: the container is corrupt");
        in.need((h.halfScales() ? 2 : 4) * l2 * n, "scales");
        float[][] scales = new float[l2][n];
        boolean[][] residual = new boolean[l2][n];
        int[] residuals = new int[l2];
        for (int kl = 0; kl < l2; kl++) {
            for (int t = 0; t < n; t++) {
                int raw = h.halfScales() ? in.u16("scales") : in.i32("scales");
                residual[kl][t] = h.halfScales() ? (raw & 0x8000) != 0 : raw < 0;
                scales[kl][t] = h.halfScales() ? HalfScale.toFloat(raw & 0x7FFF) : Float.intBitsToFloat(raw & 0x7FFFFFFF);
                if (!Float.isFinite(scales[kl][t])) {
                    throw new CacheGenException("CacheGen scale of layer " + kl + " token " + t + " is "
                            + scales[kl][t] + ": corrupt");
                }
                if (residual[kl][t]) {
                    int pos = h.startToken() + t;
                    CacheGenException.check(h.groups()[kl] > 1
                            && co.anchor(pos, h.startToken(), h.groups()[kl]) != pos,
                            "CacheGen layer " + kl + " token " + t + " is marked as a residual but has no anchor: corrupt");
                    residuals[kl]++;
                }
            }
        }
        int histLen = in.varint("histogram length");
        int histAt = in.take(histLen, "histograms");
        StaticFrequencyModel[][][] models = models(in, histAt, histLen, h, c, residuals);
        int blocks = (n + h.subStreamTokens() - 1) / h.subStreamTokens();
        int expected = l2 * blocks * (h.granularity() == StreamGranularity.PER_LAYER ? 1 : c);
        int count = in.varint("sub-stream count");
        CacheGenException.check(count == expected, "CacheGen chunk lists " + count + " sub-streams, its header implies "
                + expected + ": corrupt");
        int[] lengths = new int[count];
        for (int i = 0; i < count; i++) {
            lengths[i] = in.varint("sub-stream length");
        }
        byte[][][] symbols = new byte[l2][n][c];
        int s = 0;
        for (int kl = 0; kl < l2; kl++) {
            int bins = h.bins().bins(kl);
            for (int t0 = 0; t0 < n; t0 += h.subStreamTokens()) {
                int t1 = Math.min(n, t0 + h.subStreamTokens());
                if (h.granularity() == StreamGranularity.PER_LAYER) {
                    RangeDecoder dec = open(in, lengths[s], s);
                    for (int t = t0; t < t1; t++) {
                        StaticFrequencyModel[] m = models[residual[kl][t] ? 1 : 0][kl];
                        for (int ch = 0; ch < c; ch++) {
                            symbols[kl][t][ch] = (byte) decode(dec, m[ch], s, bins);
                        }
                    }
                    s++;
                } else {
                    for (int ch = 0; ch < c; ch++) {
                        RangeDecoder dec = open(in, lengths[s], s);
                        for (int t = t0; t < t1; t++) {
                            symbols[kl][t][ch] = (byte) decode(dec, models[residual[kl][t] ? 1 : 0][kl][ch], s, bins);
                        }
                        s++;
                    }
                }
            }
        }
        for (int kl = 0; kl < l2; kl++) {
            float[][][] layer = CacheGenChunkEncoder.layer(out, kl);
            reconstruct(symbols[kl], scales[kl], residual[kl], h.bins().bins(kl), h.groups()[kl], layer, co,
                    h.startToken(), kl < h.layers() ? rope : null);
        }
    }

    /** Plain tokens dequantize on their own; anchors are kept for the residual tokens of their group. */
    private static void reconstruct(byte[][] symbols, float[] scales, boolean[] residual, int bins, int group,
            float[][][] layer, CodingOrder co, int from, KeyRope rope) {
        int heads = layer.length;
        int d = layer[0][0].length;
        float[][] anchor = new float[heads][d];
        float[][] predicted = rope == null ? anchor : new float[heads][d];
        KeyRope.Rotator rotator = rope == null ? null : rope.rotator();
        int[] order = co.order;
        int anchorToken = 0;
        float[][] row = new float[heads][];
        for (int t = 0; t < symbols.length; t++) {
            int pos = from + t;
            for (int hh = 0; hh < heads; hh++) {
                row[hh] = layer[hh][order[pos]];
            }
            if (residual[t]) {
                if (rotator != null) {
                    rotator.rotate(anchor, co.delta(anchorToken, order[pos]), predicted);
                }
                AnchorResidual.reconstruct(symbols[t], scales[t], bins, predicted, row);
                continue;
            }
            AnchorResidual.reconstruct(symbols[t], scales[t], bins, null, row);
            if (group > 1 && co.anchor(pos, from, group) == pos) {
                for (int hh = 0; hh < heads; hh++) {
                    System.arraycopy(row[hh], 0, anchor[hh], 0, d);
                }
                anchorToken = order[pos];
            }
        }
    }

    private static RangeDecoder open(ByteReader in, int length, int index) {
        int at = in.take(length, "sub-stream " + index);
        return new RangeDecoder(in.array(), at, length);
    }

    private static int decode(RangeDecoder dec, StaticFrequencyModel m, int stream, int bins) {
        try {
            int sym = dec.decode(m);
            if (sym > bins - 2) {
                throw new CacheGenException("CacheGen sub-stream " + stream + " decoded symbol " + sym
                        + " beyond the layer's " + bins + " bins: corrupt");
            }
            return sym;
        } catch (CorruptStreamException e) {
            throw new CacheGenException("CacheGen sub-stream " + stream + " is truncated or corrupt at byte "
                    + e.offset() + " of the sub-stream", e);
        }
    }

    /** [0: plain, 1: residual][layer][channel] models from the histogram block. */
    private static StaticFrequencyModel[][][] models(ByteReader in, int at, int len, Header h, int c, int[] residuals) {
        int l2 = 2 * h.layers();
        int maxBins = h.bins().maxBins();
        int maxLen = 0;
        for (int kl = 0; kl < l2; kl++) {
            maxLen = Math.max(maxLen, h.bins().bins(kl) - 1);
        }
        HistogramCoder plain = new HistogramCoder(maxLen);
        HistogramCoder residual = new HistogramCoder(maxLen);
        StaticFrequencyModel[][][] models = new StaticFrequencyModel[2][l2][c];
        try {
            RangeDecoder dec = new RangeDecoder(in.array(), at, len);
            for (int part = 0; part < 2; part++) {
                for (int kl = 0; kl < l2; kl++) {
                    int total = part == 0 ? h.tokens() - residuals[kl] : residuals[kl];
                    if (part == 1 && total == 0) {
                        continue;
                    }
                    for (int ch = 0; ch < c; ch++) {
                        long[] counts;
                        try {
                            counts = (part == 0 ? plain : residual).decode(dec, h.bins().bins(kl) - 1, total);
                        } catch (CorruptStreamException e) {
                            throw new CacheGenException("CacheGen " + (part == 0 ? "" : "residual ") + "histogram of layer "
                                    + kl + " channel " + ch + " is truncated or corrupt: " + e.getMessage(), e);
                        }
                        models[part][kl][ch] = CacheGenChunkEncoder.model(counts, maxBins);
                    }
                }
            }
        } catch (CorruptStreamException e) {
            throw new CacheGenException("CacheGen histogram block is truncated or corrupt at byte " + e.offset(), e);
        }
        return models;
    }
}
