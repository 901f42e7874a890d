package dev.prism.deploy.stages;

import dev.prism.streaming.Topics;
import dev.prism.streaming.events.EventCodec;
import dev.prism.streaming.events.JobEvent;
import dev.prism.streaming.events.PrismEvent;
import dev.prism.streaming.runtime.StageContext;
import dev.prism.streaming.store.MediaStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

/** What every stage adapter needs: topics, the media store, and the few conversions at the record boundary. */
public record StageSupport(Topics topics, MediaStore store) {

    public void send(StageContext ctx, String topic, PrismEvent e) {
        ctx.send(topic, e.jobId(), EventCodec.encode(e));
    }

    /** The record as the stage's input type; bytes that are not one are dead-lettered at once (no retry helps). */
    public <T extends PrismEvent> T read(org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]> in, Class<T> type,
                                         String what) {
        try {
            return EventCodec.decode(in.value(), type);
        } catch (dev.prism.streaming.events.RecordFormatException e) {
            throw new dev.prism.streaming.runtime.NonRetryableException("not " + what + ": " + e.getMessage(), e);
        }
    }

    public void event(StageContext ctx, JobEvent e) {
        send(ctx, topics.events(), e);
    }

    public void skipped(StageContext ctx, String jobId, String stage, String why) {
        event(ctx, JobEvent.of(jobId, stage, JobEvent.Kind.STAGE_SKIPPED, why));
    }

    public void failed(StageContext ctx, String jobId, String stage, String why) {
        event(ctx, JobEvent.of(jobId, stage, JobEvent.Kind.STAGE_FAILED, why));
    }

    public void progress(StageContext ctx, String jobId, String stage, double p, int segment, Map<String, Object> figures) {
        event(ctx, JobEvent.progress(jobId, stage, p, segment, figures));
    }

    /** PCM travels through the store as little-endian float32. */
    public String putPcm(String jobId, String name, float[] pcm) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(pcm.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(pcm);
        return store.put(jobId, name, b.array());
    }

    public float[] readPcm(String ref) throws IOException {
        if (ref == null) return new float[0];
        try (InputStream in = store.open(ref)) {
            byte[] bytes = in.readAllBytes();
            float[] pcm = new float[bytes.length / 4];
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(pcm);
            return pcm;
        }
    }

    public byte[] readBytes(String ref) throws IOException {
        try (InputStream in = store.open(ref)) {
            return in.readAllBytes();
        }
    }
}
