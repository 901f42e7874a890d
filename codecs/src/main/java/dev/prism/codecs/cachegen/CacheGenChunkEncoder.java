package dev.prism.codecs.cachegen;

import dev.prism.codecs.entropy.HistogramCoder;
import dev.prism.codecs.entropy.RangeEncoder;
import dev.prism.codecs.entropy.StaticFrequencyModel;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes one token chunk of a KV cache (ALGORITHMS.md 4.2-4.3): quantize every K then V layer per token with the
 * layer's bins, histogram every (layer, channel) over the chunk's tokens, turn each histogram into the 16-bit CDF with
 * the "+i" trick, and range-code the symbols in sub-streams of at most subStreamTokens tokens that share those CDFs.
 * With a delta group size G > 1 each (layer, K/V) is also tried delta-vs-anchor ({@link LayerCode}, groups 2, 4, ...
 * up to G, stopping at the first that does not pay; key anchors turned by the RoPE angle when the container carries a
 * {@link KeyRope}) and keeps whichever costs fewer bits; when any layer chose delta the all-plain chunk is coded too and the
 * smaller one is sent, so the option never makes a chunk larger.
 *
 * <p>Chunk format (big-endian): "PCGC", version 2, layers, kvHeads, headDim, tokens, startToken (int32 each; the
 * start is a coded position, see {@link TokenOrder}), granularity (u8), subStreamTokens (int32), scale format (u8: 0
 * fp32, 1 fp16 rounded up), per layer K bins then V bins (u8 each, bins/2), per K then V layer its delta group (u8, 0
 * = plain), the 2L x tokens scales (K layers then V layers; the sign bit marks a token coded as a residual from its
 * anchor), the histogram block (varint length, then {@link HistogramCoder} counts per (layer, channel) of the plain
 * tokens, then of the residual tokens of the delta layers, from which the decoder rebuilds the identical CDFs), then
 * the sub-stream count (varint), each sub-stream's length (varint) and their bytes. Histograms are sent instead of
 * the int16 CDF table: the same information, rebuilt exactly, in fewer bytes.
 */
final class CacheGenChunkEncoder {
    static final byte[] MAGIC = {'P', 'C', 'G', 'C'};
    static final int VERSION = 2;

    private CacheGenChunkEncoder() {
    }

    /** Coded chunk plus the figures that show how close it is to the entropy bound. */
    record Result(byte[] bytes, long payloadBytes, double shannonBits, double modelBits, long symbols) {
    }

    /**
     * @param co        coded order and the delta runs it implies
     * @param rope      RoPE frequencies for the key layers' anchor prediction (null: none)
     * @param maxGroup  largest delta group tried (0 or 1: plain only)
     * @param halfScale send scales as fp16 (rounded up) when they all fit
     */
    static Result encode(KvCache kv, CodingOrder co, KeyRope rope, int from, int n, BinConfig bins,
            int subStreamTokens, StreamGranularity gran, int maxGroup, boolean halfScale) {
        int layers = kv.layers();
        CacheGenException.check(rope == null || 2 * rope.inverseFrequencies().length == kv.headDim(), "RoPE table has "
                + (rope == null ? 0 : rope.inverseFrequencies().length) + " frequencies; head dimension "
                + kv.headDim() + " needs " + kv.headDim() / 2);
        CacheGenException.check(bins.layers() == layers, "bin config covers " + bins.layers() + " layers but the cache has "
                + layers);
        float[][] scales = new float[2 * layers][n];
        boolean half = halfScale;
        float[][] x = new float[kv.kvHeads()][];
        for (int kl = 0; kl < 2 * layers; kl++) {
            float[][][] layer = layer(kv, kl);
            for (int i = 0; i < n; i++) {
                for (int h = 0; h < x.length; h++) {
                    x[h] = layer[h][co.order[from + i]];
                }
                scales[kl][i] = LayerQuantizer.absMax(x);
                half &= scales[kl][i] <= HalfScale.MAX;
            }
        }
        if (half) {
            for (float[] s : scales) {
                for (int i = 0; i < n; i++) {
                    s[i] = HalfScale.toFloat(HalfScale.roundUp(s[i]));
                }
            }
        }
        LayerCode[] plain = new LayerCode[2 * layers];
        LayerCode[] best = new LayerCode[2 * layers];
        boolean anyDelta = false;
        for (int kl = 0; kl < 2 * layers; kl++) {
            float[][][] layer = layer(kv, kl);
            plain[kl] = LayerCode.code(layer, co, from, n, scales[kl], bins.bins(kl), 0, null);
            best[kl] = plain[kl];
            for (int g : groups(maxGroup)) {
                LayerCode d = LayerCode.code(layer, co, from, n, scales[kl], bins.bins(kl), g,
                        kl < layers ? rope : null);
                if (d.bits >= best[kl].bits) {
                    break; // larger groups have fewer residuals and farther anchors: stop once one does not pay
                }
                best[kl] = d;
            }
            anyDelta |= best[kl] != plain[kl];
        }
        Result r = write(kv, from, n, bins, subStreamTokens, gran, half, best);
        if (anyDelta) {
            Result p = write(kv, from, n, bins, subStreamTokens, gran, half, plain);
            if (p.bytes().length <= r.bytes().length) {
                return p;
            }
        }
        return r;
    }

    /** Delta group sizes tried: 2, 4, 8, ... below maxGroup, and maxGroup. */
    static List<Integer> groups(int maxGroup) {
        List<Integer> out = new ArrayList<>();
        for (int g = 2; g < maxGroup; g *= 2) {
            out.add(g);
        }
        if (maxGroup > 1) {
            out.add(maxGroup);
        }
        return out;
    }

    static float[][][] layer(KvCache kv, int kl) {
        return kl < kv.layers() ? kv.keys()[kl] : kv.values()[kl - kv.layers()];
    }

    private static Result write(KvCache kv, int from, int n, BinConfig bins, int subStreamTokens, StreamGranularity gran,
            boolean half, LayerCode[] codes) {
        int layers = kv.layers();
        int c = kv.channels();
        int maxBins = bins.maxBins();
        StaticFrequencyModel[][] plainModels = new StaticFrequencyModel[2 * layers][c];
        StaticFrequencyModel[][] resModels = new StaticFrequencyModel[2 * layers][c];
        double shannon = 0;
        double modelBits = 0;
        for (int kl = 0; kl < 2 * layers; kl++) {
            LayerCode lc = codes[kl];
            shannon += lc.shannonBits;
            for (int ch = 0; ch < c; ch++) {
                plainModels[kl][ch] = model(lc.plainHist[ch], maxBins);
                modelBits += modelBits(lc.plainHist[ch], plainModels[kl][ch]);
                if (lc.residualCount > 0) {
                    resModels[kl][ch] = model(lc.residualHist[ch], maxBins);
                    modelBits += modelBits(lc.residualHist[ch], resModels[kl][ch]);
                }
            }
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        long payload = 0;
        try (DataOutputStream out = new DataOutputStream(buf)) {
            out.write(MAGIC);
            out.writeByte(VERSION);
            out.writeInt(layers);
            out.writeInt(kv.kvHeads());
            out.writeInt(kv.headDim());
            out.writeInt(n);
            out.writeInt(from);
            out.writeByte(gran.ordinal());
            out.writeInt(subStreamTokens);
            out.writeByte(half ? 1 : 0);
            for (int kl = 0; kl < 2 * layers; kl++) {
                out.writeByte(bins.bins(kl) / 2);
            }
            for (LayerCode lc : codes) {
                out.writeByte(lc.group);
            }
            for (LayerCode lc : codes) {
                for (int i = 0; i < n; i++) {
                    if (half) {
                        out.writeShort(HalfScale.roundUp(lc.scales[i]) | (lc.residual[i] ? 0x8000 : 0));
                    } else {
                        out.writeInt(Float.floatToRawIntBits(lc.scales[i]) | (lc.residual[i] ? 0x80000000 : 0));
                    }
                }
            }
            byte[] hist = encodeCounts(codes, n);
            writeVarint(out, hist.length);
            out.write(hist);
            List<byte[]> streams = new ArrayList<>();
            for (int kl = 0; kl < 2 * layers; kl++) {
                LayerCode lc = codes[kl];
                for (int t0 = 0; t0 < n; t0 += subStreamTokens) {
                    int t1 = Math.min(n, t0 + subStreamTokens);
                    if (gran == StreamGranularity.PER_LAYER) {
                        RangeEncoder enc = new RangeEncoder();
                        for (int t = t0; t < t1; t++) {
                            StaticFrequencyModel[] m = lc.residual[t] ? resModels[kl] : plainModels[kl];
                            for (int ch = 0; ch < c; ch++) {
                                enc.encode(lc.symbols[t][ch] & 0xFF, m[ch]);
                            }
                        }
                        streams.add(enc.finish());
                    } else {
                        for (int ch = 0; ch < c; ch++) {
                            RangeEncoder enc = new RangeEncoder();
                            for (int t = t0; t < t1; t++) {
                                enc.encode(lc.symbols[t][ch] & 0xFF, (lc.residual[t] ? resModels : plainModels)[kl][ch]);
                            }
                            streams.add(enc.finish());
                        }
                    }
                }
            }
            writeVarint(out, streams.size());
            for (byte[] s : streams) {
                writeVarint(out, s.length);
            }
            for (byte[] s : streams) {
                out.write(s);
                payload += s.length;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Result(buf.toByteArray(), payload, shannon, modelBits, 2L * layers * c * n);
    }

    static StaticFrequencyModel model(long[] hist, int maxBins) {
        return StaticFrequencyModel.fromFrequencies(LayerQuantizer.cdfFrequencies(hist, maxBins));
    }

    private static double modelBits(long[] h, StaticFrequencyModel m) {
        double bits = 0;
        for (int s = 0; s < h.length; s++) {
            if (h[s] > 0) {
                bits += h[s] * -Math.log((double) m.freq(s) / m.total()) / Math.log(2);
            }
        }
        return bits;
    }

    /** Plain-token histograms of every (layer, channel), then residual histograms of the delta layers. */
    static byte[] encodeCounts(LayerCode[] codes, int n) {
        int maxLen = 0;
        for (LayerCode lc : codes) {
            maxLen = Math.max(maxLen, lc.plainHist[0].length);
        }
        HistogramCoder plain = new HistogramCoder(maxLen);
        HistogramCoder residual = new HistogramCoder(maxLen);
        RangeEncoder enc = new RangeEncoder();
        for (LayerCode lc : codes) {
            for (long[] h : lc.plainHist) {
                plain.encode(enc, h, n - lc.residualCount);
            }
        }
        for (LayerCode lc : codes) {
            if (lc.residualCount > 0) {
                for (long[] h : lc.residualHist) {
                    residual.encode(enc, h, lc.residualCount);
                }
            }
        }
        return enc.finish();
    }

    static void writeVarint(DataOutputStream out, int v) throws IOException {
        while ((v & ~0x7F) != 0) {
            out.writeByte((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.writeByte(v);
    }
}
