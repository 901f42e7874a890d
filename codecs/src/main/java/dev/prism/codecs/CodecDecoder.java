package dev.prism.codecs;

import dev.prism.codecs.bitstream.CodesFormatException;
import dev.prism.codecs.bitstream.CodesHeader;
import dev.prism.codecs.bitstream.CodesParser;
import dev.prism.codecs.io.PcmAudio;
import dev.prism.codecs.latent.LatentDecoder;
import dev.prism.codecs.latent.LatentModel;
import dev.prism.codecs.latent.MdctLatent;
import dev.prism.codecs.quant.CodebookSet;
import dev.prism.codecs.quant.VectorQuantizer;
import java.io.IOException;
import java.util.Arrays;

/**
 * One decoding stream: feed .codes bytes as they arrive, get PCM back. The header selects the
 * latent and is checked against the codebooks (id, layout and hash), so a stream never decodes
 * with the wrong codebooks into a garbage waveform. The last two hops are held back until the
 * end packet says how many samples the encoder was given. All errors are
 * {@link CodesFormatException}s naming the byte offset.
 */
public final class CodecDecoder {
    /** Finds the codebooks a stream's header names. */
    public interface CodebookResolver {
        CodebookSet resolve(CodesHeader header) throws IOException;
    }

    /** Finds the latent a stream's header names ({@link CodesHeader#latentSpec()}). */
    public interface LatentResolver {
        LatentModel resolve(CodesHeader header) throws IOException;

        /** Resolves only the analytic MDCT latent (every spec it wrote is self-contained). */
        static LatentResolver mdctOnly() {
            return h -> MdctLatent.fromSpec(h.latentSpec(), h.sampleRate(), h.hopSize());
        }
    }

    private final CodesParser parser;
    private VectorQuantizer quantizer;
    private LatentDecoder latent;
    private int sampleRate;
    private float[] held = new float[0];
    private long emitted;
    private boolean done;

    /** A decoder for streams over the analytic MDCT latent. */
    public CodecDecoder(CodebookResolver resolver) {
        this(resolver, LatentResolver.mdctOnly());
    }

    /** A decoder for streams over any latent the resolver knows (neural ones included). */
    public CodecDecoder(CodebookResolver resolver, LatentResolver latents) {
        CodebookSet[] chosen = new CodebookSet[1];
        this.parser = new CodesParser(h -> {
            chosen[0] = check(h, resolver, latents);
            return chosen[0].usage();
        });
    }

    private CodebookSet check(CodesHeader h, CodebookResolver resolver, LatentResolver latents)
            throws CodesFormatException {
        if (!h.codecId().equals(AudioCodec.CODEC_ID)) {
            throw new CodesFormatException(0, "stream was made by codec '" + h.codecId() + "', this decoder reads '"
                    + AudioCodec.CODEC_ID + "'");
        }
        // The latent first: a stream from another network names its model before its codebooks.
        LatentModel model;
        try {
            model = latents.resolve(h);
        } catch (IllegalArgumentException | IOException e) {
            throw new CodesFormatException(0, "unsupported latent in header: " + e.getMessage(), e);
        }
        if (model.sampleRate() != h.sampleRate() || model.hopSize() != h.hopSize()
                || model.dim() != h.layout().dim()) {
            throw new CodesFormatException(0, "latent '" + h.latentSpec() + "' runs at " + model.sampleRate() + " Hz, hop "
                    + model.hopSize() + ", dim " + model.dim() + " but the stream says " + h.sampleRate() + " Hz, hop "
                    + h.hopSize() + ", dim " + h.layout().dim());
        }
        CodebookSet set;
        try {
            set = resolver.resolve(h);
        } catch (IOException e) {
            throw new CodesFormatException(0, "cannot load codebooks '" + h.codebookId() + "' for this stream: "
                    + e.getMessage(), e);
        }
        if (set == null || set.quantizer().layout().stages() < h.layout().stages()
                || set.quantizer().layout().kind() != h.layout().kind()
                || set.quantizer().layout().groups() != h.layout().groups()) {
            throw new CodesFormatException(0, "stream needs codebooks '" + h.codebookId() + "' with layout " + h.layout()
                    + "; the available codebooks do not match");
        }
        CodebookSet used = set.withStages(h.layout().stages());
        if (used.hash() != h.codebookHash() || !used.quantizer().layout().equals(h.layout())) {
            throw new CodesFormatException(0, "stream was encoded with codebooks '" + h.codebookId() + "' (hash "
                    + Long.toHexString(h.codebookHash()) + ") but the loaded codebooks '" + set.id() + "' hash to "
                    + Long.toHexString(used.hash()) + "; load the codebook file used for encoding");
        }
        quantizer = used.quantizer();
        sampleRate = h.sampleRate();
        latent = model.decoder();
        return used;
    }

    /** The stream header, once parsed (null before). */
    public CodesHeader header() {
        return parser.header();
    }

    /** Decodes whatever complete packets {@code data[off, off+len)} completes; returns final PCM. */
    public float[] push(byte[] data, int off, int len) throws CodesFormatException {
        if (done) {
            throw new IllegalStateException("decoder already finished");
        }
        float[] fresh = new float[0];
        for (CodesParser.Packet p : parser.feed(data, off, len)) {
            fresh = concat(fresh, decodePacket(p));
        }
        if (latent == null) {
            return fresh;   // header not complete yet
        }
        float[] all = concat(held, fresh);
        if (parser.ended()) {
            return release(all);
        }
        int keep = Math.min(all.length, 2 * latent().hopSize());
        held = Arrays.copyOfRange(all, all.length - keep, all.length);
        float[] out = Arrays.copyOf(all, all.length - keep);
        emitted += out.length;
        return out;
    }

    /** Checks the stream is complete and returns the remaining PCM, trimmed to the encoded length. */
    public float[] finish() throws CodesFormatException {
        parser.finish();
        if (done) {
            return new float[0];
        }
        return release(held);
    }

    private float[] release(float[] all) {
        done = true;
        // Decoders that batch frames (neural ones) hold samples until told the stream ended.
        all = concat(all, latent.finish());
        long remaining = Math.max(0, parser.totalSamples() - emitted);
        float[] out = Arrays.copyOf(all, (int) Math.min(all.length, remaining));
        if (out.length < remaining) {
            out = Arrays.copyOf(out, (int) remaining);   // never happens for streams this encoder wrote
        }
        emitted += out.length;
        held = new float[0];
        return out;
    }

    /** Decodes a complete stream. */
    public PcmAudio decodeAll(byte[] codes) throws CodesFormatException {
        float[] a = push(codes, 0, codes.length);
        float[] b = finish();
        return new PcmAudio(concat(a, b), sampleRate);
    }

    private LatentDecoder latent() {
        return latent;
    }

    private float[] decodePacket(CodesParser.Packet p) {
        int nc = quantizer.numCodebooks();
        float[] frame = new float[quantizer.dim()];
        float[][] parts = new float[p.nFrames()][];
        int total = 0;
        for (int f = 0; f < p.nFrames(); f++) {
            quantizer.decode(p.codes(), f * nc, frame, 0);
            parts[f] = latent.decode(frame);
            total += parts[f].length;
        }
        float[] out = new float[total];
        int pos = 0;
        for (float[] part : parts) {
            System.arraycopy(part, 0, out, pos, part.length);
            pos += part.length;
        }
        return out;
    }

    private static float[] concat(float[] a, float[] b) {
        if (a.length == 0) {
            return b;
        }
        if (b.length == 0) {
            return a;
        }
        float[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
