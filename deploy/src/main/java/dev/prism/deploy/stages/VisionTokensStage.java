package dev.prism.deploy.stages;

import dev.prism.streaming.events.FrameBatch;
import dev.prism.streaming.events.JobEvent;
import dev.prism.streaming.events.VisionTokens;
import dev.prism.streaming.runtime.StageContext;
import dev.prism.streaming.runtime.StageHandler;
import dev.prism.vision.caption.Captioner;
import dev.prism.vision.caption.Frame;
import dev.prism.vision.caption.VisionBatch;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * prism.frames -> prism.vision.tokens: the vision tower with MustDrop stage A (window merge, key set) and
 * temporal redundancy over the segment's frames; the kept tokens go to the media store (claim check).
 */
public final class VisionTokensStage implements StageHandler {

    private final StageSupport io;
    private final Background<Captioner> captioner;

    public VisionTokensStage(StageServices services) {
        this.io = services.support();
        this.captioner = services.captioner();
    }

    @Override
    public void handle(ConsumerRecord<String, byte[]> in, StageContext ctx) throws IOException {
        FrameBatch b = io.read(in, FrameBatch.class, "a frame batch");
        if (b.job() == null || !b.job().wants("captions")) return;
        List<Frame> frames = new ArrayList<>();
        for (FrameBatch.Frame f : b.frames()) frames.add(new Frame(f.pts(), f.width(), f.height(), io.readBytes(f.rgbRef())));
        Map<String, Object> fig = new LinkedHashMap<>();
        String ref = null;
        int tokens = 0;
        if (!frames.isEmpty()) {
            VisionBatch batch = captioner.get().encode(frames);
            ref = io.store().put(b.jobId(), String.format("vision/%06d.tokens", b.segment()), batch.toBytes());
            tokens = batch.count();
            fig.put("visionTokensBeforeStageA", batch.tokensBeforeStageA());
            fig.put("visionTokensAfterStageA", batch.tokensAfterStageA());
            fig.put("visionTokensAfterTemporal", batch.tokensAfterTemporal());
            fig.put("demo", batch.demo());
        }
        io.send(ctx, io.topics().visionTokens(), new VisionTokens(b.jobId(), b.segment(), b.start(), b.end(), b.last(), ref,
                tokens, fig, b.job()));
        if (b.last()) {
            io.event(ctx, JobEvent.done(b.jobId(), "vision", fig));
        } else {
            io.progress(ctx, b.jobId(), "vision", 0, b.segment(), fig);
        }
    }
}
