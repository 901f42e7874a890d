package dev.prism.codecs;

import dev.prism.codecs.bitstream.CodesWriter;
import dev.prism.codecs.latent.LatentEncoder;
import dev.prism.codecs.quant.VectorQuantizer;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;

/**
 * One encoding stream: feed mono float PCM at the codec's rate (24 kHz for the MDCT latent) in
 * chunks of any size, get .codes bytes back as soon as whole packets are ready (the header comes
 * with the first call). State carried between chunks: the latent encoder's (MDCT overlap, or a
 * neural encoder's window history) and the frames not yet packed. Not thread-safe; one per stream.
 * Each chunk's frames are quantized on up to {@link CodecConfig#encodeThreads()} threads (the caller
 * and shared workers); the bytes are identical for every thread count.
 */
public final class CodecStreamEncoder {
    /** Name prefix of the shared encoder worker threads (so a benchmark can sum their CPU time). */
    public static final String WORKER_THREAD_PREFIX = EncodeWorkers.THREAD_PREFIX;

    private final AudioCodec codec;
    private final LatentEncoder latent;
    private final VectorQuantizer quantizer;
    private final CodesWriter writer;
    private final int nc;
    private final int fpp;
    private final int threads;
    private int[] pending;
    private int pendingFrames;
    private long samples;
    private boolean headerSent;
    private boolean finished;

    CodecStreamEncoder(AudioCodec codec) {
        this.codec = codec;
        this.latent = codec.latent().encoder();
        this.quantizer = codec.codebooks().quantizer();
        this.writer = new CodesWriter(codec.header(), codec.codebooks().usage());
        this.nc = quantizer.numCodebooks();
        this.fpp = codec.config().framesPerPacket();
        this.threads = codec.config().encodeThreads();
        this.pending = new int[fpp * nc];
    }

    /** Encodes {@code pcm[off, off+len)}; returns the bytes that became ready (possibly none). */
    public byte[] push(float[] pcm, int off, int len) {
        if (finished) {
            throw new IllegalStateException("encoder already finished");
        }
        samples += len;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        startIfNeeded(out);
        addFrames(latent.push(pcm, off, len), out);
        return out.toByteArray();
    }

    /** Flushes the tail (zero-padded), the last packet and the end packet. */
    public byte[] finish() {
        if (finished) {
            throw new IllegalStateException("encoder already finished");
        }
        finished = true;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        startIfNeeded(out);
        addFrames(latent.finish(), out);
        if (pendingFrames > 0) {
            out.writeBytes(writer.packet(Arrays.copyOf(pending, pendingFrames * nc), pendingFrames));
            pendingFrames = 0;
        }
        out.writeBytes(writer.end(samples));
        return out.toByteArray();
    }

    /** Frames encoded so far (packed or pending). */
    public long frames() {
        return writer.framesWritten() + pendingFrames;
    }

    private void startIfNeeded(ByteArrayOutputStream out) {
        if (!headerSent) {
            out.writeBytes(writer.header());
            headerSent = true;
        }
    }

    private void addFrames(List<float[]> frames, ByteArrayOutputStream out) {
        if (frames.isEmpty()) {
            return;
        }
        int count = frames.size();
        int dim = quantizer.dim();
        float[] x = new float[count * dim];
        for (int i = 0; i < count; i++) {
            System.arraycopy(frames.get(i), 0, x, i * dim, dim);
        }
        int[] codes = new int[count * nc];
        // Frames quantize independently (and identically however they are split), so the chunk is
        // cut into one contiguous slice per encoder thread: the output is the single-thread output.
        EncodeWorkers.run(count, threads, (start, n) -> quantizer.encodeBatch(x, start * dim, n, codes, start * nc));
        for (int i = 0; i < frames.size(); i++) {
            System.arraycopy(codes, i * nc, pending, pendingFrames * nc, nc);
            pendingFrames++;
            if (pendingFrames == fpp) {
                out.writeBytes(writer.packet(pending, fpp));
                pendingFrames = 0;
            }
        }
    }

    AudioCodec codec() {
        return codec;
    }
}
