package dev.prism.deploy.dashboard;

import dev.prism.codecs.gaussian.GaussianFrame;
import dev.prism.codecs.gaussian.GaussianStreamException;
import dev.prism.codecs.gaussian.QueenDecoder;
import dev.prism.deploy.api.ApiException;
import dev.prism.streaming.store.MediaStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a job's Gaussian stream file ({@code results/gaussians/stream.qgs}: "PGS1", then per frame i64 pts in
 * microseconds, i32 length, the QUEEN record) and decodes frames for the 3D view. While the job runs the file is
 * still being written, so only complete entries count; a trailing partial entry is simply not there yet.
 * Delta records need the frames before them, so decoding always starts at frame 0.
 */
final class SplatFrames {

    static final String STREAM = "results/gaussians/stream.qgs";
    private static final int FILE_MAGIC = 0x50475331;

    private SplatFrames() {
    }

    record Entry(long ptsMicros, int offset, int length) {
    }

    /** The complete entries of the job's stream file; empty when the job has none (yet). */
    static List<Entry> entries(byte[] file) {
        List<Entry> out = new ArrayList<>();
        if (file.length < 4) return out;
        ByteBuffer b = ByteBuffer.wrap(file);
        if (b.getInt() != FILE_MAGIC) {
            throw new ApiException(500, "the job's Gaussian stream file does not start with the PGS1 magic; it is damaged");
        }
        while (b.remaining() >= 12) {
            long pts = b.getLong();
            int len = b.getInt();
            if (len < 0) throw new ApiException(500, "the job's Gaussian stream file declares a negative record length at byte " + (b.position() - 4));
            if (len > b.remaining()) break; // still being written
            out.add(new Entry(pts, b.position(), len));
            b.position(b.position() + len);
        }
        return out;
    }

    static byte[] read(MediaStore store, String jobId) throws IOException {
        Path file = store.localPath(jobId + "/" + STREAM);
        return file != null && Files.isRegularFile(file) ? Files.readAllBytes(file) : new byte[0];
    }

    /** Frames from..from+limit-1 (those that exist), decoded and converted to render terms. */
    static byte[] decode(byte[] file, int from, int limit) {
        List<Entry> entries = entries(file);
        if (entries.isEmpty() || from >= entries.size()) return SplatBatch.write(entries.size(), List.of());
        QueenDecoder decoder = new QueenDecoder();
        List<SplatBatch.Frame> frames = new ArrayList<>();
        int end = Math.min(entries.size(), from + limit);
        for (int i = 0; i < end; i++) {
            Entry e = entries.get(i);
            GaussianFrame g;
            try {
                g = decoder.decode(file, e.offset(), e.length());
            } catch (GaussianStreamException ex) {
                throw new ApiException(500, "frame " + i + " of the job's Gaussian stream cannot be decoded: " + ex.getMessage());
            }
            if (i >= from) frames.add(toRender(i, e.ptsMicros() / 1e6, g));
        }
        return SplatBatch.write(entries.size(), frames);
    }

    /** View-independent colour (SH band 0, clamped to [0,1]); the higher SH bands are not drawn. */
    static SplatBatch.Frame toRender(int index, double pts, GaussianFrame g) {
        int n = g.count();
        float[] rgb = new float[n * 3];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) rgb[i * 3 + c] = Math.max(0f, Math.min(1f, g.rgb(i, c)));
        }
        return new SplatBatch.Frame(index, pts, n, g.positions(), g.scales(), g.rotations(), rgb, g.opacities());
    }
}
