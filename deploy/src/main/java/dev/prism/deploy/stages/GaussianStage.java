package dev.prism.deploy.stages;

import dev.prism.streaming.events.EventCodec;
import dev.prism.streaming.events.FrameBatch;
import dev.prism.streaming.events.GaussianFrame;
import dev.prism.streaming.events.JobEvent;
import dev.prism.streaming.runtime.StageContext;
import dev.prism.streaming.runtime.StageHandler;
import dev.prism.vision.gaussians.GaussianFrameResult;
import dev.prism.vision.gaussians.GaussianJobWriter;
import dev.prism.vision.gaussians.GaussianStreamBuilder;
import dev.prism.vision.gaussians.GaussianStreamConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * prism.frames -> prism.gaussians: depth (built-in parallax unless a model is configured) -> Gaussians ->
 * QUEEN-style residual records, one builder per job (residuals are against the previous decoded frame), and
 * the job's {@code gaussians/} directory (stream, V^3 videos, previews for the dashboard). The builder's state
 * is rebuilt after a failover by replaying the job's earlier frames from the media store (deterministic), so
 * the residual chain never breaks.
 */
public final class GaussianStage implements StageHandler {

    private static final int MAX_OPEN_JOBS = 8;
    private static final int V3_QP = 18;
    private static final int PREVIEW_POINTS = 20_000;
    private final StageSupport io;
    private final OpenJobs<Open> open = new OpenJobs<>(MAX_OPEN_JOBS, Open::close);

    private static final class Open implements AutoCloseable {
        final GaussianStreamBuilder builder = new GaussianStreamBuilder(GaussianStreamConfig.defaults().withPsnrEvery(4), null);
        final GaussianJobWriter writer;
        int nextSegment;
        int frames;
        long bytes;

        Open(Path dir) {
            writer = new GaussianJobWriter(dir, V3_QP, PREVIEW_POINTS);
        }

        GaussianFrameResult add(int w, int h, byte[] rgb, double pts) {
            GaussianFrameResult r = builder.addFrame(w, h, rgb, Math.round(pts * 1e6));
            writer.add(r, builder.lastBuilt(), builder.camera());
            frames++;
            bytes += r.bytes();
            return r;
        }

        @Override
        public void close() {
            writer.close();
            builder.close();
        }
    }

    public GaussianStage(StageServices services) {
        this.io = services.support();
    }

    @Override
    public void handle(ConsumerRecord<String, byte[]> in, StageContext ctx) throws IOException {
        FrameBatch b = io.read(in, FrameBatch.class, "a frame batch");
        if (b.job() == null || !b.job().wants("gaussians")) return;
        io.store().put(b.jobId(), batchName(b.segment()), in.value()); // replay input for a rebuilt builder
        Open o = open.get(b.jobId());
        if (o == null || o.nextSegment != b.segment()) {
            if (o != null) o.close();
            o = rebuild(b.jobId(), b.segment());
            open.put(b.jobId(), o);
        }
        List<FrameBatch.Frame> frames = b.frames();
        for (int i = 0; i < frames.size(); i++) {
            FrameBatch.Frame f = frames.get(i);
            GaussianFrameResult r = o.add(f.width(), f.height(), io.readBytes(f.rgbRef()), f.pts());
            boolean last = b.last() && i == frames.size() - 1;
            io.send(ctx, io.topics().gaussians(), new GaussianFrame(b.jobId(), r.frameIndex(), f.pts(), r.keyframe(), last,
                    r.gaussians(), r.record()));
        }
        o.nextSegment = b.segment() + 1;
        Map<String, Object> fig = new LinkedHashMap<>();
        fig.put("frames", o.frames);
        fig.put("bytesPerFrame", o.frames == 0 ? 0 : o.bytes / o.frames);
        fig.put("depth", "builtin-parallax");
        if (b.last()) {
            if (frames.isEmpty()) {
                // the job's final marker: no frame to carry last=true, so send an empty closing record
                io.send(ctx, io.topics().gaussians(), new GaussianFrame(b.jobId(), o.frames, b.end(), false, true, 0, new byte[0]));
            }
            o.close();
            open.remove(b.jobId());
            io.event(ctx, JobEvent.done(b.jobId(), "gaussians", fig));
        } else {
            io.progress(ctx, b.jobId(), "gaussians", 0, b.segment(), fig);
        }
    }

    /** A fresh builder and writer fed the job's frames before {@code segment} (their records were already sent). */
    private Open rebuild(String jobId, int segment) throws IOException {
        Path dir = io.store().localPath(jobId + "/results/gaussians/stream.qgs").getParent();
        Files.createDirectories(dir);
        Open o = new Open(dir);
        for (int s = 0; s < segment; s++) {
            String ref = batchRef(jobId, s);
            if (!io.store().exists(ref)) continue;
            FrameBatch earlier = EventCodec.decode(io.readBytes(ref), FrameBatch.class);
            for (FrameBatch.Frame f : earlier.frames()) o.add(f.width(), f.height(), io.readBytes(f.rgbRef()), f.pts());
        }
        o.nextSegment = segment;
        return o;
    }

    private static String batchRef(String jobId, int segment) {
        return jobId + "/" + batchName(segment);
    }

    private static String batchName(int segment) {
        return String.format("state/gaussians/%06d.batch", segment);
    }
}
