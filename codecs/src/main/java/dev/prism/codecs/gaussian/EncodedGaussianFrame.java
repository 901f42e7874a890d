package dev.prism.codecs.gaussian;

/**
 * One encoded QUEEN-style record and what it cost.
 *
 * @param record         the self-describing record bytes
 * @param frameIndex     index of the frame in the stream
 * @param keyframe       whether it is a keyframe
 * @param count          Gaussians in the frame
 * @param sentPositions  Gaussians whose position was sent (all on keyframes, the gated ones on delta frames)
 */
public record EncodedGaussianFrame(byte[] record, int frameIndex, boolean keyframe, int count, int sentPositions) {
    public int bytes() {
        return record.length;
    }

    /** Fraction of Gaussians whose position stayed put (gated off); 0 on keyframes. */
    public double gatedOffFraction() {
        return count == 0 ? 0 : 1.0 - (double) sentPositions / count;
    }
}
