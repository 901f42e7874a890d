package dev.prism.vision.gaussians;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prism.codecs.gaussian.GaussianStreamException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads back what {@link GaussianJobWriter} wrote: the V^3 group metadata (to unpack the videos) and the records. */
public final class GaussianJobReader {
    private static final ObjectMapper JSON = new ObjectMapper();

    private GaussianJobReader() {
    }

    public static List<GaussianStreamFile.Entry> records(Path dir) {
        return GaussianStreamFile.readAll(dir.resolve("stream.qgs"));
    }

    public static List<V3Group> v3Groups(Path dir) {
        try {
            JsonNode info = JSON.readTree(dir.resolve("v3/group_info.json").toFile());
            JsonNode mm = JSON.readTree(dir.resolve("v3/viewer_min_max.json").toFile());
            Map<Integer, JsonNode> byFrame = new HashMap<>();
            for (JsonNode f : mm) byFrame.put(f.get("frame").asInt(), f.get("minMax"));
            List<V3Group> out = new ArrayList<>();
            for (JsonNode g : info) {
                int first = g.get("firstFrame").asInt(), n = g.get("frames").asInt();
                List<float[]> min = new ArrayList<>(), max = new ArrayList<>();
                for (int t = first; t < first + n; t++) {
                    JsonNode cols = byFrame.get(t);
                    if (cols == null) throw new GaussianStreamException(dir + "/v3/viewer_min_max.json has no entry for frame " + t);
                    float[] lo = new float[cols.size()], hi = new float[cols.size()];
                    for (int c = 0; c < cols.size(); c++) {
                        lo[c] = (float) cols.get(c).get(0).asDouble();
                        hi[c] = (float) cols.get(c).get(1).asDouble();
                    }
                    min.add(lo);
                    max.add(hi);
                }
                out.add(new V3Group(g.get("group").asInt(), first, n, g.get("count").asInt(), g.get("side").asInt(),
                        g.get("shDegree").asInt(), g.get("qp").asInt(), g.get("bytes").asLong(), min, max));
            }
            return out;
        } catch (IOException | NullPointerException e) {
            throw new GaussianStreamException("cannot read the V3 metadata under " + dir + "/v3 (" + e + "); the job directory is incomplete", e);
        }
    }
}
