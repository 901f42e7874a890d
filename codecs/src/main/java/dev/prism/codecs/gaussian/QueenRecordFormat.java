package dev.prism.codecs.gaussian;

/**
 * Shared constants and arithmetic of the QUEEN-style record (ALGORITHMS.md 8.1 "What is streamed per frame").
 * Encoder and decoder reconstruct values with exactly these functions, so the encoder's reference state is
 * bit-identical to what every receiver holds (no drift).
 *
 * <pre>
 * i32 magic "QGS1" | u8 version | u8 type (0 key, 1 delta) | i32 frame index | i32 count | u8 SH degree
 * f32 positionScale, scaleStep, rotationStep, colorStep, shRestStep, opacityStep
 * delta only: i32 gated count | u8 index width (1, 2 or 4 bytes, the smallest that holds count-1) | indices
 * one tail-exception block per attribute (positions: keyframe 3*count values, delta 3*gated values)
 * i32 CRC-32 of all preceding bytes
 * </pre>
 * Keyframes carry round(value / step) per attribute, differenced along the Gaussian order (each component against
 * the same component of the previous Gaussian); delta frames carry round((value - decoded) / step).
 */
final class QueenRecordFormat {
    static final int MAGIC = 0x51475331;
    static final int VERSION = 1;
    static final int TYPE_KEY = 0;
    static final int TYPE_DELTA = 1;
    /** Beyond this a Gaussian count is treated as corruption rather than allocated. */
    static final int MAX_COUNT = 1 << 24;
    /** Quantized magnitudes are kept below this so keyframe differences never overflow an int. */
    static final int MAX_Q = 1 << 29;

    private QueenRecordFormat() {
    }

    static int quantize(float value, float step, String what) {
        if (Float.isNaN(value)) throw new IllegalArgumentException(what + " is NaN; the Gaussian frame holds an undefined value");
        float q = Math.round(value / step);
        if (!(Math.abs(q) < MAX_Q)) {
            throw new IllegalArgumentException(what + " value " + value + " does not fit the stream at step " + step
                    + "; rescale the scene or raise the quantization step");
        }
        return (int) q;
    }

    static float reconstruct(int q, float step) {
        return q * step;
    }

    static float addResidual(float reference, int q, float step) {
        return reference + q * step;
    }

    static int indexWidth(int count) {
        if (count <= 1 << 8) return 1;
        if (count <= 1 << 16) return 2;
        return 4;
    }
}
