package dev.prism.vision.gaussians;

import dev.prism.codecs.gaussian.GaussianFrame;
import dev.prism.codecs.gaussian.QueenDecoder;
import dev.prism.vision.render.PinholeCamera;
import dev.prism.vision.render.SplatRenderer;

/**
 * Receiver side of the facade: records in order, decoded Gaussians and renders out. Malformed records throw
 * {@link dev.prism.codecs.gaussian.GaussianStreamException} and leave the state as it was.
 */
public final class GaussianStreamDecoder {
    private final QueenDecoder decoder = new QueenDecoder();
    private final SplatRenderer renderer = new SplatRenderer();

    /** Decodes the next record; the returned frame is the live state (copy it to keep it). */
    public GaussianFrame decode(byte[] record) {
        return decoder.decode(record);
    }

    public GaussianFrame state() {
        return decoder.state();
    }

    /** Renders the current state (8-bit RGB), for example from a moved camera for a thumbnail. */
    public byte[] render(PinholeCamera camera) {
        if (decoder.state() == null) throw new IllegalStateException("no frame decoded yet; decode a keyframe first");
        return renderer.render(decoder.state(), camera);
    }
}
