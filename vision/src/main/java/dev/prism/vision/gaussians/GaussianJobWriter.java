package dev.prism.vision.gaussians;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.prism.codecs.gaussian.GaussianFrame;
import dev.prism.vision.render.PinholeCamera;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a job's {@code gaussians/} directory:
 * <ul>
 *   <li>{@code stream.qgs}: the QUEEN-style records ({@link GaussianStreamFile});</li>
 *   <li>{@code v3/group_NNNN/plane_PP.mkv}, {@code v3/group_info.json}, {@code v3/viewer_min_max.json}: the V^3
 *       packing, one group per keyframe interval;</li>
 *   <li>{@code preview/frame_NNNNNN.json}: per frame positions and 8-bit colours decimated to at most
 *       {@code previewPoints} Gaussians, for the dashboard's WebGL player;</li>
 *   <li>{@code index.json}: camera, depth source, per-frame figures and the file names above.</li>
 * </ul>
 */
public final class GaussianJobWriter implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path dir;
    private final int v3Qp;
    private final int previewPoints;
    private final GaussianStreamFile.Writer stream;
    private final ArrayNode frames = JSON.createArrayNode();
    private final List<V3Group> groups = new ArrayList<>();
    private final List<GaussianFrame> pending = new ArrayList<>();
    private int pendingFirst;
    private PinholeCamera camera;
    private String depthSource;

    /** @param v3Qp H.264-scale QP for the V^3 videos, or -1 to skip the V^3 packing */
    public GaussianJobWriter(Path dir, int v3Qp, int previewPoints) {
        this.dir = dir;
        this.v3Qp = v3Qp;
        this.previewPoints = previewPoints;
        try {
            Files.createDirectories(dir.resolve("preview"));
            if (v3Qp >= 0) Files.createDirectories(dir.resolve("v3"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        stream = new GaussianStreamFile.Writer(dir.resolve("stream.qgs"));
    }

    /** Adds one frame: its record and the uncompressed Gaussians it was coded from (input of V^3 and preview). */
    public void add(GaussianFrameResult r, GaussianFrame built, PinholeCamera cam) {
        camera = cam;
        depthSource = r.depthSource();
        stream.append(r.ptsMicros(), r.record());
        if (v3Qp >= 0) {
            if (r.keyframe() && !pending.isEmpty()) flushGroup();
            if (pending.isEmpty()) pendingFirst = r.frameIndex();
            pending.add(built);
        }
        String preview = String.format("preview/frame_%06d.json", r.frameIndex());
        writePreview(dir.resolve(preview), r, built);
        ObjectNode f = frames.addObject();
        f.put("frame", r.frameIndex()).put("ptsMicros", r.ptsMicros()).put("keyframe", r.keyframe()).put("bytes", r.bytes())
                .put("gaussians", r.gaussians()).put("sentPositions", r.sentPositions()).put("preview", preview);
        if (!Double.isNaN(r.psnr())) f.put("psnr", Double.isInfinite(r.psnr()) ? 99.0 : r.psnr());
    }

    private void flushGroup() {
        groups.add(V3GroupCodec.write(dir.resolve("v3"), groups.size(), pendingFirst, new ArrayList<>(pending), v3Qp));
        pending.clear();
    }

    private void writePreview(Path file, GaussianFrameResult r, GaussianFrame g) {
        int stride = Math.max(1, (g.count() + previewPoints - 1) / Math.max(1, previewPoints));
        ObjectNode root = JSON.createObjectNode();
        root.put("frame", r.frameIndex()).put("ptsMicros", r.ptsMicros());
        ArrayNode pos = root.putArray("positions");
        ArrayNode col = root.putArray("colors");
        int k = 0;
        for (int i = 0; i < g.count(); i += stride) {
            if (g.opacities()[i] <= 0) continue;
            for (int c = 0; c < 3; c++) pos.add(Math.round(g.positions()[i * 3 + c] * 1000) / 1000.0);
            for (int c = 0; c < 3; c++) col.add(Math.round(Math.max(0, Math.min(1, g.rgb(i, c))) * 255));
            k++;
        }
        root.put("count", k);
        write(file, root);
    }

    private static void write(Path file, Object node) {
        try {
            JSON.writeValue(file.toFile(), node);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The V^3 groups written so far. */
    public List<V3Group> groups() {
        return groups;
    }

    @Override
    public void close() {
        stream.close();
        if (v3Qp >= 0 && !pending.isEmpty()) flushGroup();
        ObjectNode index = JSON.createObjectNode();
        index.put("format", "prism-gaussians/1").put("stream", "stream.qgs").put("depthSource", depthSource);
        if (camera != null) {
            index.putObject("camera").put("width", camera.width()).put("height", camera.height()).put("fx", camera.fx())
                    .put("fy", camera.fy()).put("cx", camera.cx()).put("cy", camera.cy());
        }
        index.set("frames", frames);
        if (v3Qp >= 0) {
            ObjectNode v3 = index.putObject("v3");
            v3.put("qp", v3Qp).put("groupInfo", "v3/group_info.json").put("minMax", "v3/viewer_min_max.json");
            writeV3Metadata();
        }
        write(dir.resolve("index.json"), index);
    }

    private void writeV3Metadata() {
        ArrayNode info = JSON.createArrayNode();
        ArrayNode minMax = JSON.createArrayNode();
        for (V3Group g : groups) {
            info.addObject().put("group", g.group()).put("directory", g.directoryName()).put("firstFrame", g.firstFrame())
                    .put("frames", g.frames()).put("count", g.count()).put("side", g.side()).put("shDegree", g.shDegree())
                    .put("qp", g.requestedQp()).put("bytes", g.bytes());
            for (int t = 0; t < g.frames(); t++) {
                ObjectNode m = minMax.addObject().put("frame", g.firstFrame() + t).put("count", g.count());
                ArrayNode mm = m.putArray("minMax");
                for (int c = 0; c < g.min().get(t).length; c++) mm.addArray().add(g.min().get(t)[c]).add(g.max().get(t)[c]);
            }
        }
        write(dir.resolve("v3/group_info.json"), info);
        write(dir.resolve("v3/viewer_min_max.json"), minMax);
    }
}
