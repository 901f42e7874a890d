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
            int subStreamTokens, int deltaGroup, BinConfig bins) {
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
        int delta = in.i32("delta group size");
        CacheGenException.check(layers > 0 && heads > 0 && dim > 0 && tokens > 0 && tokens <= 65535 && start >= 0
                && sub > 0 && delta >= 0 && g < StreamGranularity.values().length, "CacheGen chunk header is corrupt: layers "
                + layers + ", heads " + heads + ", headDim " + dim + ", tokens " + tokens + ", start " + start
                + ", granularity " + g + ", sub-stream tokens " + sub);
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
        return new Header(layers, heads, dim, tokens, start, StreamGranularity.values()[g], sub, delta,
                new BinConfig(kb, vb));
    }

    /** Decodes the rest of the chunk after {@link #header} into {@code out} at the header's start token. */
    static void body(ByteReader in, Header h, KvCache out) {
        int l2 = 2 * h.layers();
        int n = h.tokens();
        int c = h.kvHeads() * h.headDim();
        CacheGenException.check(out.layers() == h.layers() && out.channels() == c && out.kvHeads() == h.kvHeads()
                && h.startToken() + n <= out.tokens(), "CacheGen chunk at token " + h.startToken() + " does not fit the "
                + "container's cache shape: the container is corrupt");
        in.need(4 * l2 * n, "scales");
        float[][] scales = new float[l2][n];
        for (int kl = 0; kl < l2; kl++) {
            for (int t = 0; t < n; t++) {
                scales[kl][t] = in.f32("scales");
                if (!(Float.isFinite(scales[kl][t]) && scales[kl][t] >= 0)) {
                    throw new CacheGenException("CacheGen scale of layer " + kl + " token " + t + " is "
                            + scales[kl][t] + ": corrupt");
                }
            }
        }
        int histLen = in.varint("histogram length");
        int histAt = in.take(histLen, "histograms");
        StaticFrequencyModel[][] models = models(in, histAt, histLen, h, c);
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
            for (int t0 = 0; t0 < n; t0 += h.subStreamTokens()) {
                int t1 = Math.min(n, t0 + h.subStreamTokens());
                if (h.granularity() == StreamGranularity.PER_LAYER) {
                    RangeDecoder dec = open(in, lengths[s], s);
                    for (int t = t0; t < t1; t++) {
                        for (int ch = 0; ch < c; ch++) {
                            symbols[kl][t][ch] = (byte) decode(dec, models[kl][ch], s, h.bins().bins(kl));
                        }
                    }
                    s++;
                } else {
                    for (int ch = 0; ch < c; ch++) {
                        RangeDecoder dec = open(in, lengths[s], s);
                        for (int t = t0; t < t1; t++) {
                            symbols[kl][t][ch] = (byte) decode(dec, models[kl][ch], s, h.bins().bins(kl));
                        }
                        s++;
                    }
                }
            }
        }
        for (int kl = 0; kl < l2; kl++) {
            float[][][] layer = kl < h.layers() ? out.keys()[kl] : out.values()[kl - h.layers()];
            DeltaQuantizer.dequantize(symbols[kl], scales[kl], h.bins().bins(kl), h.deltaGroup(), layer, h.startToken());
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

    private static StaticFrequencyModel[][] models(ByteReader in, int at, int len, Header h, int c) {
        int l2 = 2 * h.layers();
        int maxBins = h.bins().maxBins();
        int maxLen = 0;
        for (int kl = 0; kl < l2; kl++) {
            maxLen = Math.max(maxLen, h.bins().bins(kl) - 1);
        }
        HistogramCoder coder = new HistogramCoder(maxLen);
        StaticFrequencyModel[][] models = new StaticFrequencyModel[l2][c];
        try {
            RangeDecoder dec = new RangeDecoder(in.array(), at, len);
            for (int kl = 0; kl < l2; kl++) {
                for (int ch = 0; ch < c; ch++) {
                    long[] counts;
                    try {
                        counts = coder.decode(dec, h.bins().bins(kl) - 1, h.tokens());
                    } catch (CorruptStreamException e) {
                        throw new CacheGenException("CacheGen histogram of layer " + kl + " channel " + ch
                                + " is truncated or corrupt: " + e.getMessage(), e);
                    }
                    models[kl][ch] = StaticFrequencyModel.fromFrequencies(LayerQuantizer.cdfFrequencies(counts, maxBins));
                }
            }
        } catch (CorruptStreamException e) {
            throw new CacheGenException("CacheGen histogram block is truncated or corrupt at byte " + e.offset(), e);
        }
        return models;
    }
}
