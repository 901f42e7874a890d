package dev.prism.codecs.gaussian;

/**
 * Settings of the QUEEN-style residual stream (ALGORITHMS.md 8.1, "CPU-runnable implementation").
 *
 * <p>QUEEN learns per-attribute linear decoders and a hard-concrete position gate on a GPU; this CPU codec uses
 * the approximation the spec names: an identity decoder with a fixed quantization step per attribute, and a
 * position gate that thresholds the motion against the previous decoded frame. The steps and the threshold are
 * therefore parameters, not published constants (except {@code positionScale} = 1e4, QUEEN's fixed-point scale
 * for the gated xyz residuals, and {@code tailProbability} = 1e-4, its tail-exception cut).
 *
 * @param keyframeInterval a keyframe every this many frames (1 = every frame is a keyframe)
 * @param positionScale    xyz fixed-point scale: residuals are coded as round(delta * scale)
 * @param scaleStep        quantization step of the linear scale residuals
 * @param rotationStep     step of the quaternion component residuals
 * @param colorStep        step of the SH DC residuals
 * @param shRestStep       step of the higher SH band residuals
 * @param opacityStep      step of the opacity residuals
 * @param gateThreshold    a Gaussian's position is sent only when max |xyz - decoded xyz| exceeds this
 * @param tailProbability  symbols with empirical probability at or below this are coded as exceptions
 */
public record QueenConfig(int keyframeInterval, float positionScale, float scaleStep, float rotationStep,
                          float colorStep, float shRestStep, float opacityStep, float gateThreshold,
                          double tailProbability) {

    public QueenConfig {
        if (keyframeInterval < 1) throw new IllegalArgumentException("keyframeInterval must be >= 1, got " + keyframeInterval);
        positive("positionScale", positionScale);
        positive("scaleStep", scaleStep);
        positive("rotationStep", rotationStep);
        positive("colorStep", colorStep);
        positive("shRestStep", shRestStep);
        positive("opacityStep", opacityStep);
        if (!(gateThreshold >= 0) || Float.isInfinite(gateThreshold)) {
            throw new IllegalArgumentException("gateThreshold must be finite and >= 0, got " + gateThreshold);
        }
        if (!(tailProbability >= 0 && tailProbability < 0.5)) {
            throw new IllegalArgumentException("tailProbability must be in [0, 0.5), got " + tailProbability);
        }
    }

    private static void positive(String name, float v) {
        if (!(v > 0) || Float.isInfinite(v)) throw new IllegalArgumentException(name + " must be finite and > 0, got " + v);
    }

    /** Defaults: keyframe every 20 frames (V^3's group size), xyz at 1e-4, colour ~ half an 8-bit level. */
    public static QueenConfig defaults() {
        return new QueenConfig(20, 1e4f, 2e-4f, 2e-3f, 0.007f, 0.01f, 1f / 255f, 1e-3f, 1e-4);
    }

    public QueenConfig withKeyframeInterval(int n) {
        return new QueenConfig(n, positionScale, scaleStep, rotationStep, colorStep, shRestStep, opacityStep,
                gateThreshold, tailProbability);
    }

    public QueenConfig withGateThreshold(float t) {
        return new QueenConfig(keyframeInterval, positionScale, scaleStep, rotationStep, colorStep, shRestStep,
                opacityStep, t, tailProbability);
    }

    /** Quantization step of an attribute (positions: 1 / positionScale). */
    public float step(GaussianFrame.Attribute a) {
        return switch (a) {
            case POSITION -> 1f / positionScale;
            case SCALE -> scaleStep;
            case ROTATION -> rotationStep;
            case COLOR -> colorStep;
            case SH_REST -> shRestStep;
            case OPACITY -> opacityStep;
        };
    }
}
