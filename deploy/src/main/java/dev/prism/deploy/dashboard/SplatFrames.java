package dev.prism.deploy.dashboard;

import dev.prism.codecs.gaussian.GaussianFrame;
import dev.prism.codecs.gaussian.GaussianStreamException;
import dev.prism.vision.gaussians.GaussianStreamDecoder;
import java.io.InputStream;
import java.util.ArrayList;

import dev.prism.deploy.api.ApiException;
import dev.prism.streaming.store.MediaStore;
import java.io.IOException;
import java.util.List;

/** Reads a job's stored Gaussian stream records and decodes the requested frames. */
final class SplatFrames {

    static final String PREFIX = "results/gaussians/frames/";

    private SplatFrames() {
    }

    /** The job's stored frame records, in frame order (the names carry a zero-padded index). */
    static List<String> storedFrames(MediaStore store, String jobId) {
        return store.list(jobId).stream().filter(r -> r.contains(PREFIX) && r.endsWith(".bin")).sorted().toList();
    }

    /** Most Gaussians sent per frame to the browser: every k-th one beyond that (the stream keeps all). */
    static final int MAX_POINTS = 20_000;

    /**
     * Decodes the stream from its first record (residuals need every earlier frame) and returns frames
     * [from, from + limit), thinned to {@link #MAX_POINTS}.
     */
    static byte[] decode(MediaStore store, List<String> refs, int from, int limit) throws IOException {
        if (refs.isEmpty()) return SplatBatch.empty();
        GaussianStreamDecoder decoder = new GaussianStreamDecoder();
        List<SplatBatch.Frame> out = new ArrayList<>();
        int end = Math.min(refs.size(), from + limit);
        for (int i = 0; i < end; i++) {
            byte[] record;
            try (InputStream in = store.open(refs.get(i))) {
                record = in.readAllBytes();
            }
            GaussianFrame g;
            try {
                g = decoder.decode(record);
            } catch (GaussianStreamException e) {
                throw new ApiException(422, "the job's Gaussian stream cannot be decoded at frame " + i + ": " + e.getMessage());
            }
            if (i >= from) out.add(thin(i, g));
        }
        return SplatBatch.write(refs.size(), out);
    }

    private static SplatBatch.Frame thin(int index, GaussianFrame g) {
        int stride = Math.max(1, (g.count() + MAX_POINTS - 1) / MAX_POINTS);
        int n = (g.count() + stride - 1) / stride;
        float[] pos = new float[n * 3];
        float[] scl = new float[n * 3];
        float[] rot = new float[n * 4];
        float[] col = new float[n * 3];
        float[] opa = new float[n];
        for (int k = 0, i = 0; i < g.count() && k < n; i += stride, k++) {
            System.arraycopy(g.positions(), i * 3, pos, k * 3, 3);
            System.arraycopy(g.scales(), i * 3, scl, k * 3, 3);
            System.arraycopy(g.rotations(), i * 4, rot, k * 4, 4);
            for (int c = 0; c < 3; c++) col[k * 3 + c] = Math.max(0f, Math.min(1f, g.rgb(i, c)));
            opa[k] = g.opacities()[i];
        }
        return new SplatBatch.Frame(index, -1, n, pos, scl, rot, col, opa);
    }
}
