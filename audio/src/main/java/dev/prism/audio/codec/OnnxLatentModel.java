package dev.prism.audio.codec;

import dev.prism.codecs.CodecDecoder;
import dev.prism.codecs.latent.LatentDecoder;
import dev.prism.codecs.latent.LatentEncoder;
import dev.prism.codecs.latent.LatentModel;
import dev.prism.codecs.latent.MdctLatent;
import dev.prism.codecs.quant.CodebookFile;
import dev.prism.codecs.quant.CodebookSet;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A neural latent from a codec's ONNX exports (EnCodec SEANet, HiFi-Codec, DAC... encoder and
 * decoder exported separately), described by an {@link OnnxCodecSpec} sidecar: ALGORITHMS.md 5.6,
 * 6.4 and 7.6 "run the exported nets on CPU". Its {@link #spec()} ({@code onnx:<name>:<hash>}) names
 * the model and a hash of both ONNX files, so a .codes stream never decodes through another network.
 * Immutable and thread-safe (the sessions are shared); each stream gets its own
 * {@link OnnxLatentEncoder}/{@link OnnxLatentDecoder}. Closing releases the sessions.
 */
public final class OnnxLatentModel implements LatentModel, AutoCloseable {
    /** Default frames per decoder run: amortises the re-run context at 16 x 13.3 ms of added latency. */
    public static final int DEFAULT_FRAMES_PER_RUN = 16;

    private final Path dir;
    private final OnnxCodecSpec spec;
    private final OnnxModel encoder;
    private final OnnxModel decoder;
    private final String specString;
    private final int framesPerRun;

    private OnnxLatentModel(Path dir, OnnxCodecSpec spec, OnnxModel encoder, OnnxModel decoder, String hash,
                            int framesPerRun) {
        this.dir = dir;
        this.spec = spec;
        this.encoder = encoder;
        this.decoder = decoder;
        this.specString = "onnx:" + spec.name() + ":" + hash;
        this.framesPerRun = framesPerRun;
    }

    /** Loads {@code dir} with one intra-op thread per session and {@value #DEFAULT_FRAMES_PER_RUN} frames per decoder run. */
    public static OnnxLatentModel load(Path dir) throws OnnxCodecException {
        return load(dir, 1, DEFAULT_FRAMES_PER_RUN);
    }

    /**
     * @param threads      ONNX Runtime intra-op threads per session (0 = one per core)
     * @param framesPerRun latent frames the streaming decoder collects before running the network
     */
    public static OnnxLatentModel load(Path dir, int threads, int framesPerRun) throws OnnxCodecException {
        if (framesPerRun < 1) {
            throw new IllegalArgumentException("framesPerRun must be >= 1, got " + framesPerRun);
        }
        OnnxCodecSpec spec = OnnxCodecSpec.read(dir);
        Path ef = dir.resolve(spec.encoderFile());
        Path df = dir.resolve(spec.decoderFile());
        String hash = hash(ef, df);
        OnnxModel enc = OnnxModel.load(ef, threads);
        OnnxModel dec = null;
        try {
            dec = OnnxModel.load(df, threads);
            OnnxLatentModel m = new OnnxLatentModel(dir, spec, enc, dec, hash, framesPerRun);
            m.probe();
            return m;
        } catch (OnnxCodecException | RuntimeException e) {
            enc.close();
            if (dec != null) {
                dec.close();
            }
            throw e;
        }
    }

    /** Checks names and shapes once with a two-frame run, so a wrong export fails at load, not mid-stream. */
    private void probe() throws OnnxCodecException {
        checkNames(encoder, spec.encoderInput(), spec.encoderOutput());
        checkNames(decoder, spec.decoderInput(), spec.decoderOutput());
        int hop = spec.hopSize();
        try {
            float[][] z = runEncoder(new float[2 * hop]);
            float[] y = runDecoder(z, 0, z.length);
            if (y.length != 2 * hop) {
                throw new IllegalStateException("decoder returned " + y.length + " samples for 2 frames, expected " + 2 * hop);
            }
        } catch (RuntimeException e) {
            throw new OnnxCodecException("codec model " + dir + " does not follow its sidecar (" + OnnxCodecSpec.FILE
                    + ": hop " + hop + ", dim " + spec.dim() + "): " + e.getMessage(), e);
        }
    }

    private static void checkNames(OnnxModel m, String in, String out) throws OnnxCodecException {
        if (!m.inputNames().contains(in) || !m.outputNames().contains(out)) {
            throw new OnnxCodecException(m.file() + " has inputs " + m.inputNames() + " and outputs " + m.outputNames()
                    + " but the sidecar names input '" + in + "' and output '" + out + "'; fix " + OnnxCodecSpec.FILE);
        }
    }

    private static String hash(Path... files) throws OnnxCodecException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Path f : files) {
                try (InputStream in = new DigestInputStream(Files.newInputStream(f), md)) {
                    in.transferTo(java.io.OutputStream.nullOutputStream());
                }
            }
            return HexFormat.of().formatHex(md.digest(), 0, 8);
        } catch (IOException e) {
            throw new OnnxCodecException("cannot read codec model file: " + e.getMessage()
                    + "; the directory needs both ONNX files its " + OnnxCodecSpec.FILE + " names", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    public OnnxCodecSpec codecSpec() {
        return spec;
    }

    public Path directory() {
        return dir;
    }

    @Override
    public String spec() {
        return specString;
    }

    @Override
    public int sampleRate() {
        return spec.sampleRate();
    }

    @Override
    public int hopSize() {
        return spec.hopSize();
    }

    @Override
    public int dim() {
        return spec.dim();
    }

    @Override
    public boolean demo() {
        return spec.demo();
    }

    @Override
    public LatentEncoder encoder() {
        return new OnnxLatentEncoder(this);
    }

    @Override
    public LatentDecoder decoder() {
        return new OnnxLatentDecoder(this, framesPerRun);
    }

    /** The codebooks shipped in the model directory (learned on this latent), if the sidecar names a file. */
    public CodebookSet codebooks() throws IOException {
        if (spec.codebooksFile() == null) {
            throw new OnnxCodecException("codec model " + dir + " ships no codebooks (no \"codebooks\" in "
                    + OnnxCodecSpec.FILE + "); pass a codebook file learned on this latent");
        }
        return CodebookFile.load(dir.resolve(spec.codebooksFile()));
    }

    /** A latent resolver for {@link CodecDecoder}: this model for its own spec, the MDCT latent for MDCT specs. */
    public CodecDecoder.LatentResolver resolver() {
        return h -> {
            if (h.latentSpec().equals(specString)) {
                return this;
            }
            if (h.latentSpec().startsWith("mdct:")) {
                return MdctLatent.fromSpec(h.latentSpec(), h.sampleRate(), h.hopSize());
            }
            throw new OnnxCodecException("stream was encoded with latent '" + h.latentSpec() + "' but the loaded model is '"
                    + specString + "' (" + dir + "); load the model directory used for encoding");
        };
    }

    /** One-shot encode: the tail is zero-padded to whole hops, giving ceil(T / hop) frames {@code [frames][dim]}. */
    public float[][] encodeAll(float[] pcm) {
        int hop = spec.hopSize();
        int frames = (pcm.length + hop - 1) / hop;
        return runEncoder(java.util.Arrays.copyOf(pcm, frames * hop));
    }

    /** One-shot decode of {@code frames * hop} samples. */
    public float[] decodeAll(float[][] frames) {
        return runDecoder(frames, 0, frames.length);
    }

    /** Encoder on a window of whole hops; returns its frames. */
    float[][] runEncoder(float[] window) {
        int hop = spec.hopSize();
        int dim = spec.dim();
        int frames = window.length / hop;
        if (frames == 0) {
            return new float[0][];
        }
        OnnxModel.Tensor t = encoder.run(spec.encoderInput(), window, new long[] {1, 1, window.length},
                List.of(spec.encoderOutput())).get(spec.encoderOutput());
        long[] s = t.shape();
        if (s.length != 3 || s[0] != 1 || s[1] != dim || s[2] != frames) {
            throw new IllegalStateException("encoder output shape " + java.util.Arrays.toString(s) + " for "
                    + window.length + " samples; expected [1, " + dim + ", " + frames + "]");
        }
        float[][] out = new float[frames][dim];
        float[] a = t.data();
        for (int d = 0; d < dim; d++) {
            for (int f = 0; f < frames; f++) {
                out[f][d] = a[d * frames + f];
            }
        }
        return out;
    }

    /** Decoder on frames {@code [from, to)}; returns {@code (to - from) * hop} samples. */
    float[] runDecoder(float[][] frames, int from, int to) {
        int dim = spec.dim();
        int n = to - from;
        if (n == 0) {
            return new float[0];
        }
        float[] in = new float[dim * n];
        for (int f = 0; f < n; f++) {
            float[] fr = frames[from + f];
            if (fr.length != dim) {
                throw new IllegalArgumentException("latent frame has " + fr.length + " values, the model needs " + dim);
            }
            for (int d = 0; d < dim; d++) {
                in[d * n + f] = fr[d];
            }
        }
        OnnxModel.Tensor t = decoder.run(spec.decoderInput(), in, new long[] {1, dim, n},
                List.of(spec.decoderOutput())).get(spec.decoderOutput());
        if (t.data().length != n * spec.hopSize()) {
            throw new IllegalStateException("decoder output shape " + java.util.Arrays.toString(t.shape()) + " for " + n
                    + " frames; expected [1, 1, " + n * spec.hopSize() + "]");
        }
        return t.data();
    }

    @Override
    public void close() {
        encoder.close();
        decoder.close();
    }
}
