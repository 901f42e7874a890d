package dev.prism.codecs;

import dev.prism.codecs.bitstream.CodesFormatException;
import dev.prism.codecs.bitstream.CodesHeader;
import dev.prism.codecs.io.PcmAudio;
import dev.prism.codecs.latent.LatentModel;
import dev.prism.codecs.latent.MdctLatent;
import dev.prism.codecs.quant.CodebookSet;
import dev.prism.codecs.quant.QuantizerLayout;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The audio codec facade: a latent (by default the analytic MDCT latent, 24 kHz, 75 Hz frames; or
 * any {@link LatentModel}, e.g. a neural ONNX encoder/decoder pair) + RVQ/GRVQ + .codes
 * container. Immutable and thread-safe; each stream gets its own {@link CodecStreamEncoder} or
 * {@link CodecDecoder}.
 *
 * <pre>
 * AudioCodec codec = AudioCodec.demo(CodecConfig.defaults(), cacheDir);   // or create(CodebookFile.load(p), cfg)
 * CodecStreamEncoder enc = codec.newEncoder();
 * out.write(enc.push(pcm24k, 0, n)); ...; out.write(enc.finish());
 * PcmAudio back = codec.decode(bytes);
 * </pre>
 */
public final class AudioCodec {
    public static final String CODEC_ID = "prism-mdct-vq";
    public static final int SAMPLE_RATE = 24_000;

    private final LatentModel latent;
    private final CodebookSet codebooks;
    private final CodecConfig config;

    private AudioCodec(LatentModel latent, CodebookSet codebooks, CodecConfig config) {
        this.latent = latent;
        this.codebooks = codebooks;
        this.config = config;
    }

    /**
     * A codec over learned codebooks; {@code config.codebooks()} must be at most what the set holds
     * (residual stages beyond it are dropped, the bandwidth rule of ALGORITHMS.md 7.1).
     */
    public static AudioCodec create(CodebookSet set, CodecConfig config) {
        return create(set, config, MdctLatent.default24k());
    }

    /**
     * A codec over any latent (the codebooks must have been learned on that latent: their dim is the
     * latent's frame dim); the header records {@link LatentModel#spec()} so a decoder can check it.
     */
    public static AudioCodec create(CodebookSet set, CodecConfig config, LatentModel latent) {
        QuantizerLayout l = set.quantizer().layout();
        if (l.kind() != config.kind() || l.groups() != config.groups()) {
            throw new IllegalArgumentException("codebooks '" + set.id() + "' are " + l.kind() + " with " + l.groups()
                    + " groups but the codec asks for " + config.kind() + " with " + config.groups());
        }
        if (config.stages() > l.stages()) {
            throw new IllegalArgumentException("codebooks '" + set.id() + "' have " + l.numCodebooks()
                    + " codebooks; cannot encode with " + config.codebooks() + " (train more stages)");
        }
        if (l.dim() != latent.dim()) {
            throw new IllegalArgumentException("codebooks '" + set.id() + "' have dim " + l.dim() + ", the latent '"
                    + latent.spec() + "' has " + latent.dim() + "; learn codebooks on this latent");
        }
        return new AudioCodec(latent, set.withStages(config.stages()), config);
    }

    /** The codec over the deterministic demo codebooks (learned on first use, then cached). */
    public static AudioCodec demo(CodecConfig config, Path cacheDir) throws IOException {
        return create(DemoCodebooks.get(config.kind(), cacheDir), config);
    }

    public CodecConfig config() {
        return config;
    }

    public CodebookSet codebooks() {
        return codebooks;
    }

    public LatentModel latent() {
        return latent;
    }

    /** The rate {@link #encode} and the stream encoder expect (mono PCM), and decoders return. */
    public int sampleRate() {
        return latent.sampleRate();
    }

    public double frameRate() {
        return latent.frameRate();
    }

    /** The header every stream of this codec starts with. */
    public CodesHeader header() {
        return new CodesHeader(CODEC_ID, latent.spec(), latent.sampleRate(), latent.hopSize(),
                codebooks.quantizer().layout(), config.coding(), codebooks.id(), codebooks.hash(), codebooks.demo(),
                config.framesPerPacket());
    }

    public CodecStreamEncoder newEncoder() {
        return new CodecStreamEncoder(this);
    }

    /** A decoder that accepts only streams made with this codec's codebooks and latent. */
    public CodecDecoder newDecoder() {
        return new CodecDecoder(h -> codebooks, h -> {
            if (!h.latentSpec().equals(latent.spec())) {
                throw new IOException("stream was made with latent '" + h.latentSpec() + "', this codec has '"
                        + latent.spec() + "'");
            }
            return latent;
        });
    }

    /** Whole-signal convenience: mono PCM at {@link #sampleRate()} to a complete .codes stream. */
    public byte[] encode(float[] pcm24k) {
        CodecStreamEncoder enc = newEncoder();
        byte[] a = enc.push(pcm24k, 0, pcm24k.length);
        byte[] b = enc.finish();
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    public PcmAudio decode(byte[] codes) throws CodesFormatException {
        return newDecoder().decodeAll(codes);
    }
}
