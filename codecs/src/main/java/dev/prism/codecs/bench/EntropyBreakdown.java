package dev.prism.codecs.bench;

import dev.prism.codecs.bitstream.CodesHeader;
import dev.prism.codecs.bitstream.CodesParser;
import dev.prism.codecs.bitstream.CodesWriter;
import dev.prism.codecs.bitstream.PacketCoder;
import dev.prism.codecs.bitstream.StaticPacketCoder;
import dev.prism.codecs.entropy.Entropy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where the range-coded size goes, for one benchmark row's measured code packets. All figures
 * cover the same symbols: every code of every clip, each codebook (code position) on its own.
 *
 * <ul>
 *   <li>{@code plugInBits}: empirical (plug-in) entropy per codebook of the pooled histogram,
 *       summed over codebooks. A coder that must learn or transmit the distribution cannot reach it on
 *       short streams: with a few thousand codes over 1024 symbols it is biased low and lacks the
 *       model's description cost.</li>
 *   <li>{@code ktBits}: Krichevsky-Trofimov sequential code length per codebook (counts + 1/2, no
 *       prior), learning over all clips without resets; {@code ktPacketBits} the same restarted at
 *       every packet, the fair yardstick for a coder whose packets decode on their own.</li>
 *   <li>{@code modelIdealBits}: ideal code length under the stream's own adaptive models: the
 *       range coder's target, so {@code rangeBits / modelIdealBits} is the coder's overhead alone.</li>
 *   <li>{@link Span}: the two-pass static scheme (ALGORITHMS.md 4.3, {@link StaticPacketCoder}) with
 *       one table per packet of a given length: payload bits against the packets' own plug-in
 *       entropy (the goal's ratio), the tables' bits, and the whole RANGE_V3 stream.</li>
 * </ul>
 */
final class EntropyBreakdown {
    double plugInBits;
    double ktBits;
    double ktPacketBits;
    double modelIdealBits;
    long rangeBits;

    /** Two-pass figures for one table span (packet length). */
    static final class Span {
        double plugInBits;      // sum over packets of the packet's own n * H_plugin
        long payloadBits;       // two-pass symbols alone (their range coder's flush included)
        long tableBits;         // two-pass packet bits minus payload bits: the histograms
        long streamBytes;       // the whole RANGE_V3 stream at this packet length, headers included
        int packets;
        int twoPassPackets;     // packets the encoder chose to send two-pass
    }

    /** Table spans measured: the codec's 2 s packets, 10 s packets, and each clip as one packet. */
    static final int[] SPAN_FRAMES = {150, 750, 0};
    static final String[] SPAN_NAMES = {"2s", "10s", "clip"};

    /** The entropy columns of a benchmark row, in order; {@link #columns} fills exactly these. */
    static final List<String> KEYS = keys();

    private static List<String> keys() {
        List<String> k = new ArrayList<>(List.of("kbps_range", "kbps_fixed", "kbps_entropy", "range_over_fixed",
                "range_over_entropy", "kbps_kt", "range_over_kt", "kbps_kt_per_packet", "range_over_kt_per_packet",
                "range_payload_over_model_ideal", "kbps_range_v2"));
        for (String s : SPAN_NAMES) {
            k.addAll(List.of("two_pass_payload_over_plugin_" + s, "two_pass_table_kbps_" + s,
                    "two_pass_total_over_plugin_" + s, "two_pass_packets_" + s, "kbps_range_" + s + "_packets",
                    "range_over_entropy_" + s + "_packets"));
        }
        return k;
    }

    /**
     * Fills the entropy columns. Ratios: {@code range_over_*} divide the whole stream (headers and
     * packet framing included) by a yardstick; {@code two_pass_payload_over_plugin_*} is the goal's
     * ratio, two-pass symbol bits over the packets' own n * H_plugin, tables excluded;
     * {@code two_pass_total_over_plugin_*} adds the tables.
     */
    void columns(java.util.Map<String, Object> m, double seconds, long rangeBytes, long fixedBytes, long v2Bytes,
                 Span[] spans) {
        m.put("kbps_range", kbps(rangeBytes * 8.0, seconds));
        m.put("kbps_fixed", kbps(fixedBytes * 8.0, seconds));
        m.put("kbps_entropy", kbps(plugInBits, seconds));
        m.put("range_over_fixed", CodecBench.round((double) rangeBytes / fixedBytes, 4));
        m.put("range_over_entropy", CodecBench.round(rangeBytes * 8.0 / plugInBits, 4));
        m.put("kbps_kt", kbps(ktBits, seconds));
        m.put("range_over_kt", CodecBench.round(rangeBytes * 8.0 / ktBits, 4));
        m.put("kbps_kt_per_packet", kbps(ktPacketBits, seconds));
        m.put("range_over_kt_per_packet", CodecBench.round(rangeBytes * 8.0 / ktPacketBits, 4));
        m.put("range_payload_over_model_ideal", CodecBench.round(rangeBits / modelIdealBits, 4));
        m.put("kbps_range_v2", kbps(v2Bytes * 8.0, seconds));
        for (int i = 0; i < spans.length; i++) {
            Span s = spans[i];
            String n = SPAN_NAMES[i];
            m.put("two_pass_payload_over_plugin_" + n, CodecBench.round(s.payloadBits / s.plugInBits, 4));
            m.put("two_pass_table_kbps_" + n, kbps(s.tableBits, seconds));
            m.put("two_pass_total_over_plugin_" + n, CodecBench.round((s.payloadBits + s.tableBits) / s.plugInBits, 4));
            m.put("two_pass_packets_" + n, s.twoPassPackets + "/" + s.packets);
            m.put("kbps_range_" + n + "_packets", kbps(s.streamBytes * 8.0, seconds));
            m.put("range_over_entropy_" + n + "_packets", CodecBench.round(s.streamBytes * 8.0 / plugInBits, 4));
        }
    }

    private static double kbps(double bits, double seconds) {
        return CodecBench.round(bits / seconds / 1000, 3);
    }

    /** Pooled over all {@code packets} (of every clip of a benchmark row). */
    static EntropyBreakdown of(List<CodesParser.Packet> packets, CodesHeader header, long[][] usage) {
        int nc = header.codesPerFrame();
        int size = header.layout().codebookSize();
        EntropyBreakdown b = new EntropyBreakdown();
        long[][] hist = new long[nc][size];
        double[] kt = new double[nc];
        long[] seen = new long[nc];
        PacketCoder coder = new PacketCoder(header, usage);
        for (CodesParser.Packet p : packets) {
            int[] c = p.codes();
            long[][] local = new long[nc][size];
            for (int i = 0; i < c.length; i++) {
                int k = i % nc;
                kt[k] -= Math.log((hist[k][c[i]] + 0.5) / (seen[k] + size / 2.0));
                b.ktPacketBits -= Math.log((local[k][c[i]] + 0.5) / (i / nc + size / 2.0)) / Math.log(2);
                hist[k][c[i]]++;
                local[k][c[i]]++;
                seen[k]++;
            }
            b.modelIdealBits += coder.idealBits(c, p.nFrames());
            b.rangeBits += 8L * coder.rangeCodedBytes(c, p.nFrames());
        }
        for (int k = 0; k < nc; k++) {
            b.ktBits += kt[k] / Math.log(2);
            b.plugInBits += Entropy.shannonBits(hist[k]);
        }
        return b;
    }

    /**
     * Adds one clip's codes, cut into packets of {@code framesPerPacket} frames (0: the whole clip
     * as one packet, up to the container's 65535 frames), to {@code span}.
     */
    static void addClip(Span span, List<CodesParser.Packet> clipPackets, CodesHeader header, long[][] usage,
                        int framesPerPacket, long samples) {
        int nc = header.codesPerFrame();
        int frames = 0;
        for (CodesParser.Packet p : clipPackets) {
            frames += p.nFrames();
        }
        int fpp = framesPerPacket > 0 ? framesPerPacket : Math.min(0xFFFF, Math.max(1, frames));
        CodesHeader h = withPacketFrames(header, fpp);
        List<CodesParser.Packet> packets = regroup(clipPackets, fpp, nc);
        PacketCoder coder = new PacketCoder(h, usage);
        StaticPacketCoder twoPass = coder.twoPass();
        CodesWriter w = new CodesWriter(h, usage);
        long bytes = w.header().length;
        for (CodesParser.Packet p : packets) {
            long[][] local = new long[nc][h.layout().codebookSize()];
            for (int i = 0; i < p.codes().length; i++) {
                local[i % nc][p.codes()[i]]++;
            }
            for (long[] row : local) {
                span.plugInBits += Entropy.shannonBits(row);
            }
            long payload = twoPass.payloadBits(p.codes(), p.nFrames());
            span.payloadBits += payload;
            span.tableBits += 8L * twoPass.encode(p.codes(), p.nFrames()).length - payload;
            span.twoPassPackets += coder.encode(p.codes(), p.nFrames()).mode() == PacketCoder.Mode.TWO_PASS ? 1 : 0;
            span.packets++;
            bytes += w.packet(p.codes(), p.nFrames()).length;
        }
        span.streamBytes += bytes + w.end(samples).length;
    }

    /** The same codes cut into packets of {@code framesPerPacket} frames. */
    static List<CodesParser.Packet> regroup(List<CodesParser.Packet> packets, int framesPerPacket, int nc) {
        int total = 0;
        for (CodesParser.Packet p : packets) {
            total += p.nFrames();
        }
        int[] all = new int[total * nc];
        int pos = 0;
        for (CodesParser.Packet p : packets) {
            System.arraycopy(p.codes(), 0, all, pos, p.nFrames() * nc);
            pos += p.nFrames() * nc;
        }
        List<CodesParser.Packet> out = new ArrayList<>();
        for (int f = 0; f < total; f += framesPerPacket) {
            int n = Math.min(framesPerPacket, total - f);
            out.add(new CodesParser.Packet(f, n, Arrays.copyOfRange(all, f * nc, (f + n) * nc), -1));
        }
        return out;
    }

    /** Bytes of the whole stream of one clip's packets re-coded under another header (e.g. RANGE_V2 models). */
    static long streamBytes(List<CodesParser.Packet> clipPackets, CodesHeader header, long[][] usage, long samples) {
        CodesWriter w = new CodesWriter(header, usage);
        long bytes = w.header().length;
        for (CodesParser.Packet p : clipPackets) {
            bytes += w.packet(p.codes(), p.nFrames()).length;
        }
        return bytes + w.end(samples).length;
    }

    static CodesHeader withPacketFrames(CodesHeader h, int frames) {
        return new CodesHeader(h.codecId(), h.latentSpec(), h.sampleRate(), h.hopSize(), h.layout(), h.coding(),
                h.codebookId(), h.codebookHash(), h.demoCodebook(), frames);
    }

    static CodesHeader withCoding(CodesHeader h, CodesHeader.Coding c) {
        return new CodesHeader(h.codecId(), h.latentSpec(), h.sampleRate(), h.hopSize(), h.layout(), c, h.codebookId(),
                h.codebookHash(), h.demoCodebook(), h.framesPerPacket());
    }
}
