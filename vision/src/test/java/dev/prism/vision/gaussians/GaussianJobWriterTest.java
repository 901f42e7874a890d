package dev.prism.vision.gaussians;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prism.codecs.gaussian.GaussianFrame;
import dev.prism.codecs.gaussian.V3PackedFrame;
import dev.prism.codecs.gaussian.V3Packer;
import dev.prism.vision.gaussians.bench.SyntheticScene;
import dev.prism.vision.render.ImageMetrics;
import dev.prism.vision.render.SplatRenderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class GaussianJobWriterTest {
    private static final int W = 96, H = 54, FRAMES = 8;

    private static List<GaussianFrame> writeJob(Path dir, int qp, List<byte[]> records) {
        SyntheticScene scene = new SyntheticScene(W, H);
        GaussianStreamConfig cfg = GaussianStreamConfig.defaults()
                .withBuild(GaussianBuildConfig.defaults().withBudget(1200))
                .withQueen(dev.prism.codecs.gaussian.QueenConfig.defaults().withKeyframeInterval(5));
        List<GaussianFrame> built = new ArrayList<>();
        try (GaussianStreamBuilder b = new GaussianStreamBuilder(cfg, null); GaussianJobWriter jw = new GaussianJobWriter(dir, qp, 300)) {
            for (int t = 0; t < FRAMES; t++) {
                SyntheticScene.Frame f = scene.frame(t);
                GaussianFrameResult r = b.addFrame(W, H, f.rgb(), f.depth(), t * 40_000L);
                jw.add(r, b.lastBuilt(), b.camera());
                built.add(b.lastBuilt().copy());
                records.add(r.record());
            }
        }
        return built;
    }

    @Test
    void losslessV3PackingRoundTripsBitExactAndTheFilesDescribeTheJob(@TempDir Path dir) throws Exception {
        List<byte[]> records = new ArrayList<>();
        List<GaussianFrame> built = writeJob(dir, 0, records);
        List<V3Group> groups = GaussianJobReader.v3Groups(dir);
        assertEquals(2, groups.size(), "a group per keyframe interval of 5 over 8 frames");
        assertEquals(5, groups.get(0).frames());
        int t = 0;
        for (V3Group g : groups) {
            List<V3PackedFrame> back = V3GroupCodec.readPacked(dir.resolve("v3"), g);
            for (V3PackedFrame p : back) {
                V3PackedFrame orig = V3Packer.pack(built.get(t++));
                for (int plane = 0; plane < orig.planes().length; plane++) {
                    assertArrayEquals(orig.planes()[plane], p.planes()[plane], "plane " + plane + " of frame " + (t - 1));
                }
                assertArrayEquals(orig.min(), p.min());
                assertArrayEquals(orig.max(), p.max());
            }
        }
        List<GaussianStreamFile.Entry> entries = GaussianJobReader.records(dir);
        assertEquals(FRAMES, entries.size());
        for (int i = 0; i < FRAMES; i++) assertArrayEquals(records.get(i), entries.get(i).record());
        assertEquals(3 * 40_000L, entries.get(3).ptsMicros());
        JsonNode index = new ObjectMapper().readTree(dir.resolve("index.json").toFile());
        assertEquals("provided", index.get("depthSource").asText());
        assertEquals(FRAMES, index.get("frames").size());
        JsonNode preview = new ObjectMapper().readTree(dir.resolve(index.get("frames").get(0).get("preview").asText()).toFile());
        assertTrue(preview.get("count").asInt() <= 300);
        assertEquals(preview.get("count").asInt() * 3, preview.get("positions").size());
        assertTrue(Files.size(dir.resolve("v3/group_0000/plane_01.mkv")) > 0);

        // Damaged job files are reported, not half-read.
        byte[] stream = Files.readAllBytes(dir.resolve("stream.qgs"));
        Files.write(dir.resolve("stream.qgs"), java.util.Arrays.copyOf(stream, stream.length - 3));
        dev.prism.codecs.gaussian.GaussianStreamException e = assertThrows(dev.prism.codecs.gaussian.GaussianStreamException.class,
                () -> GaussianJobReader.records(dir));
        assertTrue(e.getMessage().contains("declares"), e.getMessage());
        Files.delete(dir.resolve("v3/group_0001/plane_07.mkv"));
        assertThrows(dev.prism.codecs.gaussian.GaussianStreamException.class, () -> V3GroupCodec.readPacked(dir.resolve("v3"), groups.get(1)));
    }

    @Test
    void lossyV3KeepsHighBytesExactAndRendersClose(@TempDir Path dir) {
        List<GaussianFrame> built = writeJob(dir, 30, new ArrayList<>());
        V3Group g = GaussianJobReader.v3Groups(dir).get(0);
        List<V3PackedFrame> back = V3GroupCodec.readPacked(dir.resolve("v3"), g);
        V3PackedFrame orig = V3Packer.pack(built.get(0));
        for (int plane : new int[]{1, 3, 5}) assertArrayEquals(orig.planes()[plane], back.get(0).planes()[plane]);
        GaussianFrame unpacked = V3Packer.unpack(back.get(0));
        SyntheticScene scene = new SyntheticScene(W, H);
        SplatRenderer r = new SplatRenderer();
        double exact = ImageMetrics.psnr(r.render(built.get(0), scene.camera()), scene.frame(0).rgb());
        double lossy = ImageMetrics.psnr(r.render(unpacked, scene.camera()), scene.frame(0).rgb());
        assertTrue(lossy > exact - 4 && lossy > 20, "V3 at QP 30: " + lossy + " dB vs " + exact + " dB uncompressed");
    }
}
