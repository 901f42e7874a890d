package dev.prism.audio.codec;

import dev.prism.codecs.latent.LatentDecoder;
import java.util.ArrayList;
import java.util.List;

/**
 * Streaming decoder over an exported decoder network: frames are collected until
 * {@code framesPerRun} (plus the decoder's lookahead) are waiting, then the network runs on them
 * with {@code contextFrames} frames of history in front, and only the samples of the new frames are
 * returned. The output equals the one-shot decode ({@link OnnxLatentModel#decodeAll}) up to float
 * rounding; {@link #finish()} returns what is still held. Each frame yields exactly {@code hop}
 * samples in the end (no fixed delay). Not thread-safe; one per stream.
 */
public final class OnnxLatentDecoder implements LatentDecoder {
    private final OnnxLatentModel model;
    private final int framesPerRun;
    private final int context;
    private final int lookahead;
    private final List<float[]> history = new ArrayList<>();   // frames [histStart, received)
    private long histStart;
    private long received;
    private long nextOut;
    private boolean finished;

    OnnxLatentDecoder(OnnxLatentModel model, int framesPerRun) {
        this.model = model;
        this.framesPerRun = framesPerRun;
        this.context = model.codecSpec().contextFrames();
        this.lookahead = model.codecSpec().lookaheadFrames();
    }

    @Override
    public int sampleRate() {
        return model.sampleRate();
    }

    @Override
    public int hopSize() {
        return model.hopSize();
    }

    @Override
    public int dim() {
        return model.dim();
    }

    @Override
    public float[] decode(float[] frame) {
        if (finished) {
            throw new IllegalStateException("ONNX latent decoder already finished");
        }
        if (frame.length != model.dim()) {
            throw new IllegalArgumentException("latent frame has " + frame.length + " values, the model needs " + model.dim());
        }
        history.add(frame.clone());
        received++;
        if (received - nextOut >= framesPerRun + lookahead) {
            return run(received - lookahead);
        }
        return new float[0];
    }

    @Override
    public float[] finish() {
        if (finished) {
            return new float[0];
        }
        finished = true;
        return nextOut < received ? run(received) : new float[0];
    }

    /** Decodes frames {@code [nextOut, emitEnd)} with context in front and whatever follows them. */
    private float[] run(long emitEnd) {
        long start = Math.max(histStart, nextOut - context);
        float[][] window = history.subList((int) (start - histStart), history.size()).toArray(new float[0][]);
        float[] y = model.runDecoder(window, 0, window.length);
        int hop = model.hopSize();
        float[] out = java.util.Arrays.copyOfRange(y, (int) (nextOut - start) * hop, (int) (emitEnd - start) * hop);
        nextOut = emitEnd;
        long keepFrom = Math.max(histStart, nextOut - context);
        history.subList(0, (int) (keepFrom - histStart)).clear();
        histStart = keepFrom;
        return out;
    }
}
