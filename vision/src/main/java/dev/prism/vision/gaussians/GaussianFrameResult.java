package dev.prism.vision.gaussians;

/**
 * What the facade produced for one input frame.
 *
 * @param frameIndex    index in the stream
 * @param ptsMicros     presentation time of the source frame
 * @param keyframe      whether the record is a keyframe
 * @param record        the self-describing QUEEN-style record (the {@code prism.gaussians} payload)
 * @param gaussians     Gaussians in the frame
 * @param sentPositions Gaussians whose position the record carries
 * @param psnr          render-from-source PSNR of the decoded frame vs the input in dB, NaN when not measured
 * @param depthSource   label of the depth used ({@code builtin-parallax}, {@code onnx:...}, {@code provided})
 */
public record GaussianFrameResult(int frameIndex, long ptsMicros, boolean keyframe, byte[] record, int gaussians,
                                  int sentPositions, double psnr, String depthSource) {
    public int bytes() {
        return record.length;
    }
}
