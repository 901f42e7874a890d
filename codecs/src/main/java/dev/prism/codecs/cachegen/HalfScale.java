package dev.prism.codecs.cachegen;

/**
 * Per-token scales as IEEE half floats (a Prism side-information saving over the reference's fp32, ALGORITHMS.md 4.2):
 * the abs-max is rounded up to the next half, so every value still lies within [-m, m] and the quantizer's bound
 * m / (2 MAX) holds for the transmitted m, which is at most 2^-10 (relatively) above the true abs-max. Java 17 has no
 * half conversion, hence this one. The sign bit is left to the caller (it flags plain-coded delta members).
 */
final class HalfScale {
    /** The largest finite half; larger scales make the chunk fall back to fp32. */
    static final float MAX = 65504f;

    private HalfScale() {
    }

    /** Bits of the smallest half >= m, for 0 <= m <= {@link #MAX}. */
    static int roundUp(float m) {
        if (!(m >= 0 && m <= MAX)) {
            throw new IllegalArgumentException("scale " + m + " does not fit a half float");
        }
        int bits = Float.floatToRawIntBits(m);
        int exp = ((bits >>> 23) & 0xFF) - 127 + 15;
        int mant = bits & 0x7FFFFF;
        int h;
        if (m == 0) {
            h = 0;
        } else if (exp >= 1) {
            h = (exp << 10) | (mant >>> 13);
        } else if (exp >= -10) {
            h = (mant | 0x800000) >>> (14 - exp);
        } else {
            h = 0;
        }
        if (toFloat(h) < m) {
            h++;
        }
        return h;
    }

    /** The value of half bits h, ignoring the sign bit. */
    static float toFloat(int h) {
        int exp = (h >>> 10) & 0x1F;
        int mant = h & 0x3FF;
        if (exp == 0) {
            return mant * 0x1p-24f;
        }
        return Float.intBitsToFloat(((exp - 15 + 127) << 23) | (mant << 13));
    }
}
