package dev.prism.codecs.gaussian;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class V3PackerTest {

    @Test
    void sideIsTheSmallestMultipleOfEightHoldingAllGaussians() {
        assertEquals(8, V3Packer.side(1));
        assertEquals(8, V3Packer.side(64));
        assertEquals(16, V3Packer.side(65));
        assertEquals(256, V3Packer.side(65536));
        assertEquals(264, V3Packer.side(65537));
    }

    @Test
    void qpPolicyFollowsTheReference() {
        assertEquals(0, V3Packer.planeQp(1, 25));
        assertEquals(0, V3Packer.planeQp(5, 25));
        assertEquals(25, V3Packer.planeQp(0, 25));
        assertEquals(25, V3Packer.planeQp(12, 25));
        assertEquals(22, V3Packer.planeQp(9, 25));
        assertEquals(22, V3Packer.planeQp(19, 30));
        assertEquals(15, V3Packer.planeQp(16, 15));
    }

    @Test
    void unpackRecoversAttributesWithinTheirQuantizationAndGuardsConstantColumns() {
        GaussianFrame f = SyntheticGaussians.scene(1000, 9);
        java.util.Arrays.fill(f.opacities(), 0.7f);   // constant column: min == max
        V3PackedFrame p = V3Packer.pack(f);
        assertEquals(32, p.side());
        assertEquals(V3Packer.planeCount(1), p.planes().length);
        for (int c = 3; c < 6; c++) assertEquals(p.min()[c], p.max()[c], "normals are constant");
        GaussianFrame g = V3Packer.unpack(p);
        for (int j = 0; j < f.positions().length; j++) {
            float range = p.max()[j % 3] - p.min()[j % 3];
            assertEquals(f.positions()[j], g.positions()[j], range / 65535f * 1.01f + 1e-6f);
        }
        for (int i = 0; i < 1000; i++) {
            assertEquals(0.7f, g.opacities()[i], 0f);
            float range = p.max()[6] - p.min()[6];
            assertEquals(f.colors()[i * 3], g.colors()[i * 3], range / 255f * 1.01f);
            // Truncation (as in the reference) only ever rounds down.
            assertTrue(g.colors()[i * 3] <= f.colors()[i * 3] + 1e-5f);
        }
    }
}
