package dev.prism.deploy.stages;

import dev.prism.audio.StreamingTranscriber;
import dev.prism.audio.Transcriber;
import dev.prism.audio.TranscriberOptions;
import dev.prism.audio.asr.RecognizedWord;
import dev.prism.audio.asr.whisper.WhisperOptions;
import dev.prism.audio.streaming.AudioChunk;
import dev.prism.audio.streaming.TranscriptEvent;
import dev.prism.audio.transcript.Transcript;
import dev.prism.deploy.config.PrismConfig;
import dev.prism.streaming.events.AudioWindow;
import dev.prism.streaming.events.JobEvent;
import dev.prism.streaming.events.TranscriptUpdate;
import dev.prism.streaming.runtime.StageContext;
import dev.prism.streaming.runtime.StageHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * prism.audio -> prism.transcripts: one streaming transcriber per job (LocalAgreement-2 over a bounded
 * buffer), partial and final updates as the windows arrive. The recognizer is loaded once, in the
 * background. After a failover the job's stream restarts at the next window: words committed before stay,
 * the agreement buffer starts empty (at most one window's words may be cut at that seam).
 */
public final class AsrStage implements StageHandler {

    private static final int MAX_OPEN_JOBS = 32;
    private final StageSupport io;
    private final Background<Transcriber> transcriber;
    /** An evicted or replaced stream hands its loaded decoder back at once. */
    private final OpenJobs<Open> open = new OpenJobs<>(MAX_OPEN_JOBS, o -> o.stream.close());

    private static final class Open {
        final StreamingTranscriber stream;
        int nextSegment;
        long t0 = System.nanoTime();
        double audioSeconds;

        Open(StreamingTranscriber stream, int segment) {
            this.stream = stream;
            this.nextSegment = segment;
        }
    }

    public AsrStage(StageServices services) {
        this.io = services.support();
        TranscriberOptions options = transcriberOptions(services.config().audio());
        this.transcriber = new Background<>("the speech recognizer", () -> new Transcriber(options));
    }

    /** The configured recognizer and VAD ({@code prism.audio.*}); a bad choice fails here with what to set. */
    static TranscriberOptions transcriberOptions(PrismConfig.Audio audio) {
        Path vad = audio.vadModel().map(Path::of).filter(Files::isRegularFile).orElse(null);
        TranscriberOptions options = TranscriberOptions.defaults().withVadModel(vad);
        String recognizer = audio.recognizer().trim().toLowerCase(java.util.Locale.ROOT);
        switch (recognizer) {
            case "sphinx4", "sphinx":
                return options;
            case "whisper":
                PrismConfig.Whisper w = audio.whisper();
                Path dir = w.modelDir().map(Path::of).orElseThrow(() -> new IllegalArgumentException(
                        "prism.audio.recognizer=whisper needs prism.audio.whisper.model-dir: a Hugging Face Whisper "
                                + "checkpoint directory (e.g. from `prism models fetch openai/whisper-base`)"));
                WhisperOptions wo = WhisperOptions.defaults(dir)
                        .withLanguage(w.language().orElse(null))
                        .withTask(w.task())
                        .withTemperatures(w.temperatures())
                        .withThresholds(w.compressionRatioThreshold(), w.logprobThreshold(), w.noSpeechThreshold())
                        .withWordTimestamps(w.wordTimestamps())
                        .withThreads(w.threads());
                return options.withWhisper(wo);
            default:
                throw new IllegalArgumentException("prism.audio.recognizer is '" + audio.recognizer()
                        + "': use sphinx4 or whisper");
        }
    }

    @Override
    public void handle(ConsumerRecord<String, byte[]> in, StageContext ctx) throws IOException {
        AudioWindow w = io.read(in, AudioWindow.class, "an audio window");
        if (w.job() == null || !w.job().wants("transcript")) return;
        Transcriber t = transcriber.get();
        Open o = open.get(w.jobId());
        if (o == null || o.nextSegment != w.segment()) {
            if (o != null) o.stream.close();
            o = new Open(t.openStream(), w.segment());
            open.put(w.jobId(), o);
        }
        float[] pcm = io.readPcm(w.pcm16kRef());
        String recognizer = t.recognizer().name();
        String language = t.recognizer().language();
        o.audioSeconds += pcm.length / 16000.0;
        List<TranscriptEvent> events = new java.util.ArrayList<>(o.stream.accept(new AudioChunk(pcm, w.start())));
        o.nextSegment = w.segment() + 1;
        if (w.last()) events.addAll(o.stream.finish());
        for (TranscriptEvent e : events) {
            io.send(ctx, io.topics().transcripts(), update(w, e, false, recognizer, language));
        }
        if (w.last()) {
            open.remove(w.jobId());
            Transcript done = o.stream.transcript();
            io.send(ctx, io.topics().transcripts(), new TranscriptUpdate(w.jobId(), w.segment(), true, true, w.end(), w.end(),
                    "", List.of(), recognizer, language));
            Map<String, Object> fig = new LinkedHashMap<>();
            fig.put("recognizer", recognizer);
            fig.put("words", done.words().size());
            fig.put("flags", done.flags());
            if (recognizer.endsWith("-demo")) {
                fig.put("demo", true); // a generated Whisper checkpoint: the job is labelled demo output
            }
            fig.put("realtimeFactor", (System.nanoTime() - o.t0) / 1e9 / Math.max(o.audioSeconds, 1e-6));
            io.event(ctx, JobEvent.done(w.jobId(), "asr", fig));
        } else {
            io.progress(ctx, w.jobId(), "asr", 0, w.segment(), Map.of("recognizer", recognizer));
        }
    }

    private static TranscriptUpdate update(AudioWindow w, TranscriptEvent e, boolean last, String recognizer, String language) {
        List<TranscriptUpdate.Word> words = new java.util.ArrayList<>();
        for (RecognizedWord rw : e.words()) words.add(new TranscriptUpdate.Word(rw.word(), rw.start(), rw.end(), rw.confidence()));
        return new TranscriptUpdate(w.jobId(), w.segment(), e.isFinal(), last, e.segmentStart(), e.segmentEnd(), e.text(),
                words, recognizer, language);
    }
}
