package dev.prism.deploy.stages;

import dev.prism.audio.codec.NeuralCodecs;
import dev.prism.audio.codec.OnnxLatentModel;
import dev.prism.codecs.AudioCodec;
import dev.prism.codecs.CodecConfig;
import dev.prism.codecs.CodecStreamEncoder;
import dev.prism.codecs.io.PcmAudio;
import dev.prism.codecs.io.Resampler;
import dev.prism.streaming.events.AudioWindow;
import dev.prism.streaming.events.CodecFrame;
import dev.prism.streaming.events.JobEvent;
import dev.prism.streaming.runtime.StageContext;
import dev.prism.streaming.runtime.StageHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * prism.audio -> prism.audio.codes: one streaming encoder per job, so the concatenated payloads of a job
 * are one valid .codes stream. The encoder's state (MDCT overlap, pending frames) lives in memory; after a
 * failover or a retried record it is rebuilt by replaying the job's earlier windows from the media store
 * through a fresh encoder (deterministic), so the stream continues bit-exactly.
 */
public final class CodecStage implements StageHandler {

    private static final int MAX_OPEN_JOBS = 64;
    private final StageSupport io;
    /** Demo codebooks are learned on first use (then cached on disk): in the background, not in startup. */
    private final Background<AudioCodec> codec;
    private final OpenJobs<Open> open = new OpenJobs<>(MAX_OPEN_JOBS, o -> { });

    private static final class Open {
        final CodecStreamEncoder encoder;
        int nextSegment;
        long bits;

        Open(CodecStreamEncoder encoder) {
            this.encoder = encoder;
        }
    }

    public CodecStage(StageServices services) {
        this.io = services.support();
        Path cache = services.cacheDir().resolve("codec");
        java.util.Optional<String> model = services.config().codec().modelDir();
        this.codec = model.isEmpty()
                ? new Background<>("the codec's demo codebooks in " + cache, () -> AudioCodec.demo(CodecConfig.defaults(), cache))
                : new Background<>("the neural codec in " + model.get(), () -> NeuralCodecs.open(
                        OnnxLatentModel.load(neuralModelDir(model.get(), cache)), CodecConfig.defaults()));
    }

    /** prism.codec.model-dir: "demo" is the generated ONNX pair (written once into the cache). */
    public static Path neuralModelDir(String model, Path codecCache) throws IOException {
        return model.equals("demo") ? NeuralCodecs.writeDemo(codecCache.resolve("onnx-demo")) : Path.of(model);
    }

    /** Audio windows carry 24 kHz PCM; a neural codec at another rate gets it resampled. */
    private float[] atCodecRate(AudioCodec codec, float[] pcm24k) {
        return codec.sampleRate() == 24_000 ? pcm24k
                : Resampler.resample(new PcmAudio(pcm24k, 24_000), codec.sampleRate()).samples();
    }

    @Override
    public void handle(ConsumerRecord<String, byte[]> in, StageContext ctx) throws IOException {
        AudioWindow w = io.read(in, AudioWindow.class, "an audio window");
        if (w.job() == null || !w.job().wants("codec")) return;
        AudioCodec codec = this.codec.get();
        Open o = open.get(w.jobId());
        if (o == null || o.nextSegment != w.segment()) {
            o = rebuild(codec, w.jobId(), w.segment());
            open.put(w.jobId(), o);
        }
        float[] pcm = atCodecRate(codec, io.readPcm(w.pcm24kRef()));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(o.encoder.push(pcm, 0, pcm.length));
        o.nextSegment = w.segment() + 1;
        if (w.last()) {
            bytes.writeBytes(o.encoder.finish());
            open.remove(w.jobId());
        }
        byte[] payload = bytes.toByteArray();
        o.bits += payload.length * 8L;
        io.send(ctx, io.topics().audioCodes(), new CodecFrame(w.jobId(), w.segment(), w.start(), w.end(), w.last(),
                payload.length * 8, AudioCodec.CODEC_ID, payload));
        double seconds = Math.max(w.end(), 1e-6);
        Map<String, Object> fig = new LinkedHashMap<>();
        fig.put("kbps", o.bits / 1000.0 / seconds);
        fig.put("codebooks", codec.config().codebooks());
        fig.put("quantizer", codec.config().kind().name().toLowerCase());
        fig.put("demoCodebooks", codec.header().demoCodebook());
        fig.put("latent", codec.latent().spec());
        if (codec.latent().demo()) {
            fig.put("demo", true); // generated (untrained) codec networks: the job is labelled demo output
        }
        if (w.last()) {
            io.event(ctx, JobEvent.done(w.jobId(), "codec", fig));
        } else {
            io.progress(ctx, w.jobId(), "codec", 0, w.segment(), fig);
        }
    }

    /** A fresh encoder fed the job's windows before {@code segment} (already sent; their output is dropped). */
    private Open rebuild(AudioCodec codec, String jobId, int segment) throws IOException {
        Open o = new Open(codec.newEncoder());
        for (int s = 0; s < segment; s++) {
            String ref = jobId + "/" + String.format("pcm24k/%06d.f32", s);
            float[] pcm = io.store().exists(ref) ? atCodecRate(codec, io.readPcm(ref)) : new float[0];
            o.bits += o.encoder.push(pcm, 0, pcm.length).length * 8L;
        }
        o.nextSegment = segment;
        return o;
    }

}
