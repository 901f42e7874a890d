package dev.prism.vision.depth;

/**
 * Input contract of a monocular depth ONNX export (MiDaS / DPT / Depth-Anything style): one NCHW float tensor of
 * an RGB image resized to {@code inputWidth x inputHeight}, scaled to [0,1] and normalised per channel with
 * mean/std; one output of relative inverse depth shaped [1,H,W] or [1,1,H,W].
 */
public record OnnxDepthConfig(int inputWidth, int inputHeight, float[] mean, float[] std) {
    public OnnxDepthConfig {
        if (inputWidth < 1 || inputHeight < 1 || mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("ONNX depth input needs a positive size and 3 mean/std values");
        }
        for (float s : std) if (!(s > 0)) throw new IllegalArgumentException("std must be > 0, got " + s);
    }

    private static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

    /** MiDaS v2.1 small: 256x256, ImageNet normalisation. */
    public static OnnxDepthConfig midasSmall() {
        return new OnnxDepthConfig(256, 256, IMAGENET_MEAN, IMAGENET_STD);
    }

    /** Depth-Anything (ViT, patch 14): 518x518, ImageNet normalisation. */
    public static OnnxDepthConfig depthAnything() {
        return new OnnxDepthConfig(518, 518, IMAGENET_MEAN, IMAGENET_STD);
    }
}
