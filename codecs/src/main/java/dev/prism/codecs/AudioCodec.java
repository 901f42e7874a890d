package dev.prism.codecs;

import dev.prism.codecs.bitstream.CodesFormatException;
import dev.prism.codecs.bitstream.CodesHeader;
import dev.prism.codecs.io.PcmAudio;
import dev.prism.codecs.latent.MdctLatent;
import dev.prism.codecs.quant.CodebookSet;
import dev.prism.codecs.quant.QuantizerLayout;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The audio codec facade: analytic MDCT latent (24 kHz, 75 Hz frames) + RVQ/GRVQ + .codes
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

    private final MdctLatent latent;
    private final CodebookSet codebooks;
    private final CodecConfig config;

    private AudioCodec(MdctLatent latent, CodebookSet codebooks, CodecConfig config) {
        this.latent = latent;
        this.codebooks = codebooks;
        this.config = config;
    }

    /**
     * A codec over learned codebooks; {@code config.codebooks()} must be at most what the set holds
     * (residual stages beyond it are dropped, the bandwidth rule of ALGORITHMS.md 7.1).
     */
    public static AudioCodec create(CodebookSet set, CodecConfig config) {
        QuantizerLayout l = set.quantizer().layout();
        if (l.kind() != config.kind() || l.groups() != config.groups()) {
            throw new IllegalArgumentException("codebooks '" + set.id() + "' are " + l.kind() + " with " + l.groups()
                    + " groups but the codec asks for " + config.kind() + " with " + config.groups());
        }
        if (config.stages() > l.stages()) {
            throw new IllegalArgumentException("codebooks '" + set.id() + "' have " + l.numCodebooks()
                    + " codebooks; cannot encode with " + config.codebooks() + " (train more stages)");
        }
        MdctLatent latent = MdctLatent.default24k();
        if (l.dim() != latent.hopSize()) {
            throw new IllegalArgumentException("codebooks '" + set.id() + "' have dim " + l.dim() + ", the MDCT latent has "
                    + latent.hopSize());
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

    public MdctLatent latent() {
        return latent;
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

    /** A decoder that accepts only streams made with this codec's codebooks. */
    public CodecDecoder newDecoder() {
        return new CodecDecoder(h -> codebooks);
    }

    /** Whole-signal convenience: 24 kHz mono PCM to a complete .codes stream. */
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
