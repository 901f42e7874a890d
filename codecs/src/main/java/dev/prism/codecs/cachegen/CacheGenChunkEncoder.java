package dev.prism.codecs.cachegen;

import dev.prism.codecs.entropy.Entropy;
import dev.prism.codecs.entropy.HistogramCoder;
import dev.prism.codecs.entropy.RangeEncoder;
import dev.prism.codecs.entropy.StaticFrequencyModel;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Encodes one token chunk of a KV cache (ALGORITHMS.md 4.2-4.3): quantize every K then V layer per token with the
 * layer's bins, histogram every (layer, channel) over the chunk's tokens, turn each histogram into the 16-bit CDF with
 * the "+i" trick, and range-code the symbols in sub-streams of at most subStreamTokens tokens that share those CDFs.
 *
 * <p>Chunk format (big-endian): "PCGC", version 1, layers, kvHeads, headDim, tokens, startToken (int32 each),
 * granularity (u8), subStreamTokens (int32), delta group size (int32, 0 = off), per layer K bins and V bins (u8 each, bins/2), the 2L x tokens float32
 * scales (K layers then V layers), the histogram block (varint length + counts coded by {@link HistogramCoder}, from which the
 * decoder rebuilds the identical CDFs), then the sub-stream count (varint), each sub-stream's length (varint) and their bytes.
 * Histograms are sent instead of the int16 CDF table: the same information, rebuilt exactly, in fewer bytes.
 */
final class CacheGenChunkEncoder {
    static final byte[] MAGIC = {'P', 'C', 'G', 'C'};
    static final int VERSION = 1;

    private CacheGenChunkEncoder() {
    }

    /** Coded chunk plus the figures that show how close it is to the entropy bound. */
    record Result(byte[] bytes, long payloadBytes, double shannonBits, double modelBits, long symbols) {
    }

    static Result encode(KvCache kv, int from, int n, BinConfig bins, int subStreamTokens, StreamGranularity gran,
            int deltaGroup) {
        int layers = kv.layers();
        CacheGenException.check(bins.layers() == layers, "bin config covers " + bins.layers() + " layers but the cache has "
                + layers);
        int c = kv.channels();
        int maxBins = bins.maxBins();
        byte[][][] symbols = new byte[2 * layers][n][c];
        float[][] scales = new float[2 * layers][n];
        for (int kl = 0; kl < 2 * layers; kl++) {
            float[][][] layer = kl < layers ? kv.keys()[kl] : kv.values()[kl - layers];
            DeltaQuantizer.quantize(layer, from, n, bins.bins(kl), deltaGroup, symbols[kl], scales[kl]);
        }
        long[][][] counts = new long[2 * layers][c][];
        StaticFrequencyModel[][] models = new StaticFrequencyModel[2 * layers][c];
        double shannon = 0;
        for (int kl = 0; kl < 2 * layers; kl++) {
            for (int ch = 0; ch < c; ch++) {
                long[] h = new long[bins.bins(kl) - 1];
                for (int t = 0; t < n; t++) {
                    h[symbols[kl][t][ch] & 0xFF]++;
                }
                counts[kl][ch] = h;
                shannon += Entropy.shannonBits(h);
                models[kl][ch] = StaticFrequencyModel.fromFrequencies(LayerQuantizer.cdfFrequencies(h, maxBins));
            }
        }
        double modelBits = 0;
        for (int kl = 0; kl < 2 * layers; kl++) {
            for (int ch = 0; ch < c; ch++) {
                StaticFrequencyModel m = models[kl][ch];
                long[] h = counts[kl][ch];
                for (int s = 0; s < h.length; s++) {
                    if (h[s] > 0) {
                        modelBits += h[s] * -Math.log((double) m.freq(s) / m.total()) / Math.log(2);
                    }
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
            out.writeInt(deltaGroup);
            for (int kl = 0; kl < 2 * layers; kl++) {
                out.writeByte(bins.bins(kl) / 2);
            }
            for (float[] s : scales) {
                for (float x : s) {
                    out.writeFloat(x);
                }
            }
            byte[] hist = encodeCounts(counts, n);
            writeVarint(out, hist.length);
            out.write(hist);
            java.util.List<byte[]> streams = new java.util.ArrayList<>();
            for (int kl = 0; kl < 2 * layers; kl++) {
                for (int t0 = 0; t0 < n; t0 += subStreamTokens) {
                    int t1 = Math.min(n, t0 + subStreamTokens);
                    if (gran == StreamGranularity.PER_LAYER) {
                        RangeEncoder enc = new RangeEncoder();
                        for (int t = t0; t < t1; t++) {
                            for (int ch = 0; ch < c; ch++) {
                                enc.encode(symbols[kl][t][ch] & 0xFF, models[kl][ch]);
                            }
                        }
                        streams.add(enc.finish());
                    } else {
                        for (int ch = 0; ch < c; ch++) {
                            RangeEncoder enc = new RangeEncoder();
                            for (int t = t0; t < t1; t++) {
                                enc.encode(symbols[kl][t][ch] & 0xFF, models[kl][ch]);
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

    static byte[] encodeCounts(long[][][] counts, int n) {
        int maxLen = 0;
        for (long[][] layer : counts) {
            maxLen = Math.max(maxLen, layer[0].length);
        }
        HistogramCoder coder = new HistogramCoder(maxLen);
        RangeEncoder enc = new RangeEncoder();
        for (long[][] layer : counts) {
            for (long[] h : layer) {
                coder.encode(enc, h, n);
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
