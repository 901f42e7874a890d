package dev.prism.codecs.gaussian;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

class QueenStreamTest {
    private static final QueenConfig CONFIG = QueenConfig.defaults();

    @Test
    void keyframeDecodesBitExactToTheEncoderReferenceAndWithinHalfAStep() {
        GaussianFrame f = SyntheticGaussians.scene(5000, 1);
        QueenEncoder enc = new QueenEncoder(CONFIG);
        EncodedGaussianFrame e = enc.encode(f);
        assertTrue(e.keyframe());
        GaussianFrame d = new QueenDecoder().decode(e.record());
        assertTrue(d.sameAs(enc.reference()));
        for (GaussianFrame.Attribute a : GaussianFrame.Attribute.values()) {
            float half = CONFIG.step(a) * 0.5001f;
            float[] x = f.attribute(a), y = d.attribute(a);
            for (int j = 0; j < x.length; j++) assertEquals(x[j], y[j], half + Math.ulp(x[j]) * 4, a + "[" + j + "]");
        }
    }

    @Test
    void decoderStateEqualsEncoderReferenceAfter100FramesWithoutDrift() {
        GaussianFrame base = SyntheticGaussians.scene(4000, 2);
        QueenEncoder enc = new QueenEncoder(CONFIG);
        QueenDecoder dec = new QueenDecoder();
        int keys = 0;
        for (int t = 0; t < 100; t++) {
            GaussianFrame in = SyntheticGaussians.at(base, t, 1000, 1400);
            EncodedGaussianFrame e = enc.encode(in);
            if (e.keyframe()) keys++;
            GaussianFrame out = dec.decode(e.record());
            assertTrue(out.sameAs(enc.reference()), "decoder diverged at frame " + t);
            // No accumulation of error: every delta is taken against the decoded state.
            float[] p = in.positions(), q = out.positions();
            for (int j = 0; j < p.length; j++) assertTrue(Math.abs(p[j] - q[j]) <= CONFIG.gateThreshold() + 1e-6f, "drift at frame " + t);
        }
        assertEquals(5, keys, "keyframe every 20 frames");
    }

    @Test
    void onlyTheMovingObjectsPositionsAreSentInDeltaFrames() {
        GaussianFrame base = SyntheticGaussians.scene(3000, 3);
        QueenEncoder enc = new QueenEncoder(CONFIG);
        QueenDecoder dec = new QueenDecoder();
        float[] before = null;
        for (int t = 0; t < 10; t++) {
            EncodedGaussianFrame e = enc.encode(SyntheticGaussians.at(base, t, 200, 500));
            GaussianFrame out = dec.decode(e.record());
            if (t > 0) {
                assertFalse(e.keyframe());
                assertEquals(300, e.sentPositions(), "exactly the 300 moving Gaussians are gated on");
                for (int i = 0; i < 3000; i++) {
                    boolean moved = out.positions()[i * 3] != before[i * 3];
                    assertEquals(i >= 200 && i < 500, moved, "Gaussian " + i);
                }
            }
            before = out.positions().clone();
        }
    }

    @Test
    void staticDeltaFramesCostAFewDozenBytes() {
        GaussianFrame f = SyntheticGaussians.scene(20000, 4);
        QueenEncoder enc = new QueenEncoder(CONFIG);
        int key = enc.encode(f).bytes();
        EncodedGaussianFrame delta = enc.encode(f);
        assertEquals(0, delta.sentPositions());
        assertTrue(delta.bytes() < 120, "static delta took " + delta.bytes() + " bytes");
        assertTrue(key > 20000, "keyframe of 20k random Gaussians cannot be tiny: " + key);
    }

    @Test
    void malformedRecordsAreRejectedWithAClearErrorAndLeaveTheStateUntouched() {
        GaussianFrame base = SyntheticGaussians.scene(1000, 5);
        QueenEncoder enc = new QueenEncoder(CONFIG);
        byte[] key = enc.encode(base).record();
        byte[] d1 = enc.encode(SyntheticGaussians.at(base, 1, 0, 100)).record();
        byte[] d2 = enc.encode(SyntheticGaussians.at(base, 2, 0, 100)).record();

        assertMessage(() -> new QueenDecoder().decode(d1), "no keyframe");
        assertMessage(() -> new QueenDecoder().decode(Arrays.copyOf(key, 10)), "shorter than a record header");
        assertMessage(() -> new QueenDecoder().decode(Arrays.copyOf(key, key.length - 7)), "CRC");
        byte[] magic = key.clone();
        magic[0] = 'X';
        assertMessage(() -> new QueenDecoder().decode(magic), "magic");
        byte[] version = key.clone();
        version[4] = 9;
        assertMessage(() -> new QueenDecoder().decode(version), "version 9");
        byte[] flipped = key.clone();
        flipped[key.length / 2] ^= 0x10;
        assertMessage(() -> new QueenDecoder().decode(flipped), "CRC");
        assertMessage(() -> new QueenDecoder().decode(new byte[0]), "shorter");
        assertMessage(() -> new QueenDecoder(100).decode(key), "Gaussian count 1000 out of range");

        QueenDecoder dec = new QueenDecoder();
        GaussianFrame k = dec.decode(key).copy();
        assertMessage(() -> dec.decode(d2), "a record is missing");
        assertTrue(dec.state().sameAs(k), "rejected record must not change the state");
        dec.decode(d1);
        dec.decode(d2);
        assertTrue(dec.state().sameAs(enc.reference()));
    }

    @Test
    void bodyCorruptionBehindAValidCrcIsStillRejected() {
        // A forged record (CRC recomputed) with an impossible gated count must fail in parsing, not crash.
        GaussianFrame base = SyntheticGaussians.scene(500, 6);
        QueenEncoder enc = new QueenEncoder(CONFIG);
        byte[] key = enc.encode(base).record();
        byte[] d1 = enc.encode(SyntheticGaussians.at(base, 1, 0, 10)).record();
        int gatedAt = 4 + 1 + 1 + 4 + 4 + 1 + 24;
        d1[gatedAt] = 0x7F;
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(d1, 0, d1.length - 4);
        int c = (int) crc.getValue();
        d1[d1.length - 4] = (byte) (c >>> 24);
        d1[d1.length - 3] = (byte) (c >>> 16);
        d1[d1.length - 2] = (byte) (c >>> 8);
        d1[d1.length - 1] = (byte) c;
        QueenDecoder dec = new QueenDecoder();
        dec.decode(key);
        assertMessage(() -> dec.decode(d1), "gated count");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable x, String fragment) {
        GaussianStreamException e = assertThrows(GaussianStreamException.class, x);
        assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' should mention '" + fragment + "'");
    }
}
