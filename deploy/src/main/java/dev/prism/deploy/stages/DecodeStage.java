package dev.prism.deploy.stages;

import dev.prism.deploy.jobs.Sources;
import dev.prism.ingest.MediaException;
import dev.prism.ingest.probe.MediaProbe;
import dev.prism.ingest.segment.Segment;
import dev.prism.ingest.segment.SegmentOptions;
import dev.prism.ingest.segment.SegmentReader;
import dev.prism.ingest.segment.VideoFrame;
import dev.prism.ingest.source.MediaSource;
import dev.prism.streaming.events.AudioWindow;
import dev.prism.streaming.events.EventCodec;
import dev.prism.streaming.events.FrameBatch;
import dev.prism.streaming.events.JobEvent;
import dev.prism.streaming.events.JobRequest;
import dev.prism.streaming.events.RecordFormatException;
import dev.prism.streaming.runtime.NonRetryableException;
import dev.prism.streaming.runtime.StageContext;
import dev.prism.streaming.runtime.StageHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * prism.jobs -> prism.audio + prism.frames: probes and decodes the job's media into segments as it goes,
 * committing each segment with a checkpoint so a crash resumes after the last emitted segment. Bad media
 * (MediaException) is not retried: the record goes to the DLQ and the job fails with the library's reason.
 */
public final class DecodeStage implements StageHandler {

    private final StageSupport io;
    private final StageServices services;

    public DecodeStage(StageServices services) {
        this.services = services;
        this.io = services.support();
    }

    @Override
    public void handle(ConsumerRecord<String, byte[]> in, StageContext ctx) throws IOException {
        JobRequest job;
        try {
            job = EventCodec.decode(in.value(), JobRequest.class);
        } catch (RecordFormatException e) {
            throw new NonRetryableException("not a Prism job request: " + e.getMessage(), e);
        }
        int resumeAfter = ctx.progress().map(b -> Integer.parseInt(new String(b, StandardCharsets.UTF_8))).orElse(-1);
        boolean audio = job.wants("transcript") || job.wants("codec");
        boolean frames = job.wants("captions") || job.wants("gaussians");
        SegmentOptions opts = SegmentOptions.defaults()
                .withSegmentSeconds(job.segmentSeconds())
                .withFramesPerSecond(frames ? job.frameRate() : 0)
                .withAudio(audio)
                .withLimits(Sources.limits(services.config()));
        long t0 = System.nanoTime();
        try (SegmentReader reader = SegmentReader.open(source(job), opts)) {
            MediaProbe probe = reader.probe();
            if (resumeAfter < 0) {
                io.event(ctx, new JobEvent(job.jobId(), "decode", JobEvent.Kind.PROBED, null, 0, -1, probeFigures(probe),
                        System.currentTimeMillis()));
                for (String w : probe.warnings()) io.event(ctx, JobEvent.of(job.jobId(), "decode", JobEvent.Kind.WARNING, w));
            }
            double duration = Math.max(probe.durationSeconds(), 1e-6);
            // Segment k goes out once k+1 exists, so the last one can carry last=true. Segments at or
            // below the checkpoint were committed before a crash and are not sent again.
            Segment pending = null;
            Segment seg;
            while ((seg = reader.next()) != null) {
                if (pending != null && pending.index() > resumeAfter) {
                    emit(ctx, job, pending, false, audio, frames, duration);
                }
                pending = seg;
            }
            if (pending == null) {
                pending = new Segment(0, 0, 0, List.of(), new float[0], new float[0], List.of());
            }
            if (pending.index() > resumeAfter) {
                emit(ctx, job, pending, true, audio, frames, duration);
            }
            Map<String, Object> fig = new LinkedHashMap<>();
            fig.put("segments", pending.index() + 1);
            fig.put("decodeMs", (System.nanoTime() - t0) / 1_000_000);
            fig.put("realtimeFactor", (System.nanoTime() - t0) / 1e9 / duration);
            io.event(ctx, JobEvent.done(job.jobId(), "decode", fig));
        } catch (MediaException e) {
            throw new NonRetryableException(e.getMessage(), e);
        }
    }

    private void emit(StageContext ctx, JobRequest job, Segment s, boolean last, boolean audio, boolean frames,
                      double duration) throws IOException {
        String id = job.jobId();
        for (String w : s.warnings()) io.event(ctx, JobEvent.of(id, "decode", JobEvent.Kind.WARNING, w));
        if (audio) {
            String a16 = s.pcm16k().length == 0 ? null : io.putPcm(id, String.format("pcm16k/%06d.f32", s.index()), s.pcm16k());
            String a24 = s.pcm24k().length == 0 ? null : io.putPcm(id, String.format("pcm24k/%06d.f32", s.index()), s.pcm24k());
            io.send(ctx, io.topics().audio(), new AudioWindow(id, s.index(), s.startSeconds(), s.endSeconds(), last, a16, a24, job));
        }
        if (frames) {
            List<FrameBatch.Frame> refs = new ArrayList<>();
            int i = 0;
            for (VideoFrame f : s.frames()) {
                String ref = io.store().put(id, String.format("frames/%06d-%03d.rgb", s.index(), i++), f.rgb());
                refs.add(new FrameBatch.Frame(f.ptsSeconds(), f.width(), f.height(), ref));
            }
            io.send(ctx, io.topics().frames(), new FrameBatch(id, s.index(), s.startSeconds(), s.endSeconds(), last, refs, job));
        }
        io.progress(ctx, id, "decode", Math.min(1.0, s.endSeconds() / duration), s.index(),
                Map.of("frames", s.frames().size(), "audioSeconds", s.pcm16k().length / 16000.0));
        ctx.checkpoint(Integer.toString(s.index()).getBytes(StandardCharsets.UTF_8));
    }

    private MediaSource source(JobRequest job) {
        String src = job.source();
        if (src.startsWith("store:")) {
            Path local = io.store().localPath(src.substring("store:".length()));
            if (local == null) {
                throw new NonRetryableException("job " + job.jobId() + ": stored upload " + src + " is missing (deleted or expired)");
            }
            return MediaSource.file(local);
        }
        try {
            return Sources.policy(services.config()).resolve(src);
        } catch (MediaException e) {
            throw new NonRetryableException(e.getMessage(), e);
        }
    }

    static Map<String, Object> probeFigures(MediaProbe p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("container", p.container());
        m.put("durationSeconds", p.durationSeconds());
        m.put("sizeBytes", p.sizeBytes());
        m.put("bitRate", p.bitRate());
        m.put("streams", p.streams().stream().map(Object::toString).toList());
        p.video().ifPresent(v -> m.put("video", v.toString()));
        p.audio().ifPresent(a -> m.put("audio", a.toString()));
        m.put("coverArt", p.hasCoverArt());
        return m;
    }
}
