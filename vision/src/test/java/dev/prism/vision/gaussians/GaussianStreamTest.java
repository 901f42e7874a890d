package dev.prism.vision.gaussians;

import dev.prism.codecs.gaussian.GaussianFrame;
import dev.prism.codecs.gaussian.GaussianStreamException;
import dev.prism.vision.gaussians.bench.SyntheticScene;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

class GaussianStreamTest {

    private static GaussianStreamConfig config(int budget) {
        return GaussianStreamConfig.defaults().withBuild(GaussianBuildConfig.defaults().withBudget(budget));
    }

    @Test
    void onlyTheMovingSpheresGaussiansAreSentInDeltaFrames() {
        int w = 160, h = 90;
        SyntheticScene scene = new SyntheticScene(w, h);
        try (GaussianStreamBuilder b = new GaussianStreamBuilder(config(4000), null)) {
            GaussianStreamDecoder dec = new GaussianStreamDecoder();
            SyntheticScene.Frame prev = null;
            float[] prevPos = null;
            for (int t = 0; t < 6; t++) {
                SyntheticScene.Frame f = scene.frame(t);
                GaussianFrameResult r = b.addFrame(w, h, f.rgb(), f.depth(), t * 50_000L);
                GaussianFrame g = dec.decode(r.record());
                assertEquals("provided", r.depthSource());
                if (t > 0) {
                    assertFalse(r.keyframe());
                    BlockLayout l = b.layout();
                    int moved = 0;
                    for (int i = 0; i < g.count(); i++) {
                        boolean sent = g.positions()[i * 3] != prevPos[i * 3] || g.positions()[i * 3 + 1] != prevPos[i * 3 + 1]
                                || g.positions()[i * 3 + 2] != prevPos[i * 3 + 2];
                        if (!sent) continue;
                        moved++;
                        assertTrue(blockSawTheSphereMove(l, i, prev, f), "Gaussian " + i + " moved but its pixels did not change");
                    }
                    assertEquals(r.sentPositions(), moved);
                    assertTrue(moved > 10 && moved < g.count() / 4, "sent " + moved + " of " + g.count());
                }
                prev = f;
                prevPos = g.positions().clone();
            }
        }
    }

    private static boolean blockSawTheSphereMove(BlockLayout l, int i, SyntheticScene.Frame a, SyntheticScene.Frame b) {
        for (int y = l.y()[i]; y < l.y()[i] + l.h()[i]; y++) {
            for (int x = l.x()[i]; x < l.x()[i] + l.w()[i]; x++) {
                int p = y * l.width() + x;
                if (a.depth()[p] != b.depth()[p]) return true;
            }
        }
        return false;
    }

    @Test
    void decoderStateEqualsTheEncoderReferenceAfter100Frames() {
        int w = 96, h = 54;
        SyntheticScene scene = new SyntheticScene(w, h);
        GaussianStreamDecoder dec = new GaussianStreamDecoder();
        int keyframes = 0;
        try (GaussianStreamBuilder b = new GaussianStreamBuilder(config(1500).withPsnrEvery(25), null)) {
            for (int t = 0; t < 100; t++) {
                SyntheticScene.Frame f = scene.frame(t);
                GaussianFrameResult r = b.addFrame(w, h, f.rgb(), f.depth(), t);
                if (r.keyframe()) keyframes++;
                dec.decode(r.record());
                if (t % 25 == 0) assertTrue(r.psnr() > 22, "frame " + t + " PSNR " + r.psnr());
                else assertTrue(Double.isNaN(r.psnr()));
            }
            assertTrue(dec.state().sameAs(b.reference()), "decoder drifted from the encoder's reference");
            assertEquals(5, keyframes);
        }
    }

    @Test
    void malformedRecordsAreRejectedAndTheDecoderKeepsItsState() {
        SyntheticScene scene = new SyntheticScene(64, 36);
        try (GaussianStreamBuilder b = new GaussianStreamBuilder(config(500), null)) {
            SyntheticScene.Frame f0 = scene.frame(0), f1 = scene.frame(1);
            byte[] key = b.addFrame(64, 36, f0.rgb(), f0.depth(), 0).record();
            byte[] delta = b.addFrame(64, 36, f1.rgb(), f1.depth(), 1).record();
            GaussianStreamDecoder dec = new GaussianStreamDecoder();
            GaussianFrame k = dec.decode(key).copy();
            GaussianStreamException e = assertThrows(GaussianStreamException.class, () -> dec.decode(Arrays.copyOf(delta, delta.length - 1)));
            assertTrue(e.getMessage().contains("CRC"), e.getMessage());
            assertTrue(dec.state().sameAs(k));
            assertThrows(GaussianStreamException.class, () -> dec.decode("not a record at all, just text".getBytes()));
            assertTrue(dec.decode(delta).sameAs(b.reference()));
        }
    }

    @Test
    void intrinsicsFromMetadataReplaceTheAssumedFieldOfView() {
        int w = 32, h = 16;
        byte[] rgb = new byte[w * h * 3];
        float[] z = new float[w * h];
        java.util.Arrays.fill(z, 2f);
        try (GaussianStreamBuilder b = new GaussianStreamBuilder(config(w * h), null)) {
            b.setCamera(dev.prism.vision.render.PinholeCamera.of(w, h, 10, 10, 0, 0));
            b.addFrame(w, h, rgb, z, 0);
            GaussianFrame g = b.reference();
            // A uniform frame merges into two 16x16 tiles; the first is centred on pixel (8, 8): x = y = 8 / 10 * 2.
            assertEquals(2, g.count());
            assertEquals(1.6f, g.positions()[0], 1e-4f);
            assertEquals(1.6f, g.positions()[1], 1e-4f);
            // Scale is the footprint at the depth: 0.65 * 16 px * 2 / 10.
            assertEquals(0.65f * 16 * 0.2f, g.scales()[0], 1e-3f);
            assertEquals(2f, g.positions()[2], 1e-4f);
        }
    }
}
