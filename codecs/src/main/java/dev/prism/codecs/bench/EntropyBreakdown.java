package dev.prism.codecs.bench;

import dev.prism.codecs.bitstream.CodesHeader;
import dev.prism.codecs.bitstream.CodesParser;
import dev.prism.codecs.bitstream.CodesWriter;
import dev.prism.codecs.bitstream.PacketCoder;
import dev.prism.codecs.entropy.Entropy;
import java.util.List;

/**
 * Where the range-coded size goes, for one set of measured code packets. All figures cover the same
 * symbols: every code of every packet, each codebook (code position) on its own.
 *
 * <ul>
 *   <li>{@code plugInBits}: empirical (plug-in) entropy per codebook of the pooled histogram,
 *       summed over codebooks. A coder that must learn or transmit the distribution cannot reach it on
 *       short streams: with a few thousand codes over 1024 symbols it is biased low by about
 *       (used symbols - 1) / (2 N ln 2) bits per code and lacks the model's description cost.</li>
 *   <li>{@code ktBits}: Krichevsky-Trofimov sequential code length per codebook (counts + 1/2, no
 *       prior, no resets): the ideal adaptive code that learns the whole stream as it goes.</li>
 *   <li>{@code twoPassBits}: a static per-codebook table sent with the stream (each count coded
 *       with Elias gamma, count + 1, unused symbols included) plus the plug-in entropy: the two-pass
 *       alternative, estimated.</li>
 *   <li>{@code modelIdealBits}: ideal code length under the stream's own models (prior, step,
 *       reset per packet): the range coder's target, so {@code rangeBits / modelIdealBits} is the
 *       coder's overhead alone.</li>
 * </ul>
 */
final class EntropyBreakdown {
    double plugInBits;
    double ktBits;
    double twoPassBits;
    double modelIdealBits;
    long rangeBits;

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
            for (int i = 0; i < c.length; i++) {
                int k = i % nc;
                kt[k] -= Math.log((hist[k][c[i]] + 0.5) / (seen[k] + size / 2.0));
                hist[k][c[i]]++;
                seen[k]++;
            }
            b.modelIdealBits += coder.idealBits(c, p.nFrames());
            b.rangeBits += 8L * coder.rangeCodedBytes(c, p.nFrames());
        }
        for (int k = 0; k < nc; k++) {
            b.ktBits += kt[k] / Math.log(2);
            double h = Entropy.shannonBits(hist[k]);
            b.plugInBits += h;
            double table = 0;
            for (long n : hist[k]) {
                table += 2 * Math.floor(Math.log(n + 1) / Math.log(2)) + 1;
            }
            b.twoPassBits += h + table;
        }
        return b;
    }

    /** The same codes cut into packets of {@code framesPerPacket} frames (to price the per-packet model reset). */
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
        List<CodesParser.Packet> out = new java.util.ArrayList<>();
        for (int f = 0; f < total; f += framesPerPacket) {
            int n = Math.min(framesPerPacket, total - f);
            out.add(new CodesParser.Packet(f, n, java.util.Arrays.copyOfRange(all, f * nc, (f + n) * nc), -1));
        }
        return out;
    }

    /** Bytes of the whole stream of one clip's packets re-coded under another header (e.g. the first RANGE models). */
    static long streamBytes(List<CodesParser.Packet> clipPackets, CodesHeader header, long[][] usage, long samples) {
        CodesWriter w = new CodesWriter(header, usage);
        long bytes = w.header().length;
        for (CodesParser.Packet p : clipPackets) {
            bytes += w.packet(p.codes(), p.nFrames()).length;
        }
        return bytes + w.end(samples).length;
    }
}
