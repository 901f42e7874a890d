package dev.prism.audio.codec;

import dev.prism.codecs.latent.LatentEncoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Streaming encoder over an exported (whole-signal) encoder network. State is carried by overlap:
 * each run covers the new whole hops plus {@link OnnxCodecSpec#encoderContextSamples()} of history
 * (the receptive field left of a frame, rounded up to whole hops so the window stays frame-aligned),
 * and only frames whose receptive field lies inside the window are emitted: frames with
 * {@code lookahead} samples still missing wait for the next chunk. Emitted frames therefore equal
 * the one-shot encoding ({@link OnnxLatentModel#encodeAll}) up to float rounding, whatever the chunk
 * sizes. {@link #finish()} zero-pads the tail to a whole hop: ceil(T / hop) frames in all.
 * Not thread-safe; one per stream.
 */
public final class OnnxLatentEncoder implements LatentEncoder {
    /** Longest window one run covers (frames), bounding memory when a caller pushes minutes at once. */
    static final int MAX_FRAMES_PER_RUN = 750;

    private final OnnxLatentModel model;
    private final int hop;
    private final int context;
    private final int lookahead;
    private float[] buf = new float[0];   // samples [bufStart, received)
    private long bufStart;
    private long received;
    private long nextFrame;
    private boolean finished;

    OnnxLatentEncoder(OnnxLatentModel model) {
        this.model = model;
        this.hop = model.hopSize();
        this.context = model.codecSpec().encoderContextSamples();
        this.lookahead = model.codecSpec().lookahead();
    }

    @Override
    public int sampleRate() {
        return model.sampleRate();
    }

    @Override
    public int hopSize() {
        return hop;
    }

    @Override
    public int dim() {
        return model.dim();
    }

    @Override
    public List<float[]> push(float[] pcm, int off, int len) {
        if (finished) {
            throw new IllegalStateException("ONNX latent encoder already finished");
        }
        if (off < 0 || len < 0 || off + len > pcm.length) {
            throw new IllegalArgumentException("chunk [" + off + ", " + (off + len) + ") outside the " + pcm.length
                    + "-sample array");
        }
        float[] grown = Arrays.copyOf(buf, buf.length + len);
        System.arraycopy(pcm, off, grown, buf.length, len);
        buf = grown;
        received += len;
        return drain(false);
    }

    @Override
    public List<float[]> finish() {
        if (finished) {
            throw new IllegalStateException("ONNX latent encoder already finished");
        }
        finished = true;
        return drain(true);
    }

    private List<float[]> drain(boolean end) {
        List<float[]> out = new ArrayList<>();
        long totalFrames = (received + hop - 1) / hop;
        long available = end ? totalFrames * hop : received / hop * hop;
        long emitLimit = end ? totalFrames : Math.max(0, (available - lookahead) / hop);
        int lookHops = (lookahead + hop - 1) / hop;
        while (nextFrame < emitLimit) {
            long emitEnd = Math.min(emitLimit, nextFrame + MAX_FRAMES_PER_RUN);
            long runEnd = end && emitEnd == totalFrames ? available : Math.min(available, (emitEnd + lookHops) * hop);
            long start = Math.max(0, nextFrame * hop - context);
            float[] window = new float[(int) (runEnd - start)];
            long copyEnd = Math.min(runEnd, received);
            System.arraycopy(buf, (int) (start - bufStart), window, 0, (int) (copyEnd - start));
            float[][] frames = model.runEncoder(window);
            int first = (int) ((nextFrame * hop - start) / hop);
            out.addAll(Arrays.asList(frames).subList(first, first + (int) (emitEnd - nextFrame)));
            nextFrame = emitEnd;
        }
        long keepFrom = Math.max(bufStart, Math.min(received, nextFrame * hop - context));
        if (keepFrom > bufStart) {
            buf = Arrays.copyOfRange(buf, (int) (keepFrom - bufStart), buf.length);
            bufStart = keepFrom;
        }
        return out;
    }
}
