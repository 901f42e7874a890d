package dev.prism.audio;

import dev.prism.audio.asr.RecognizedWord;
import dev.prism.audio.asr.SpeechRecognizer;
import dev.prism.audio.asr.SphinxRecognizer;
import dev.prism.audio.asr.whisper.WhisperRecognizer;
import dev.prism.audio.transcript.Transcript;
import dev.prism.audio.vad.EnergyVad;
import dev.prism.audio.vad.SileroVad;
import dev.prism.audio.vad.SpeechRegion;
import dev.prism.audio.vad.SpeechSegmenter;
import dev.prism.audio.vad.VoiceActivityDetector;

import java.util.Arrays;
import java.util.List;

/**
 * Offline transcription: VAD regions of the whole input, each recognized on its own, assembled into a
 * {@link Transcript}. Load once and reuse: the recognizer and VAD are thread-safe, so one Transcriber serves
 * many jobs and threads ({@code transcribe} and {@link #openStream()} may be called concurrently).
 */
public final class Transcriber implements AutoCloseable {
    /** Transcript flag: made with a generated checkpoint, not a real model. */
    public static final String FLAG_DEMO = "demo";
    private final SpeechRecognizer recognizer;
    private final VoiceActivityDetector vad;
    private final TranscriberOptions options;
    private final boolean owns;

    /** Loads the configured recognizer and VAD (Sphinx4: a few seconds). */
    public Transcriber(TranscriberOptions options) {
        this(loadRecognizer(options), loadVad(options), options, true);
    }

    /** Uses an already loaded recognizer and VAD (not closed by this transcriber). */
    public Transcriber(SpeechRecognizer recognizer, VoiceActivityDetector vad, TranscriberOptions options) {
        this(recognizer, vad, options, false);
    }

    private Transcriber(SpeechRecognizer recognizer, VoiceActivityDetector vad, TranscriberOptions options, boolean owns) {
        this.recognizer = recognizer;
        this.vad = vad;
        this.options = options;
        this.owns = owns;
    }

    static SpeechRecognizer loadRecognizer(TranscriberOptions o) {
        return switch (o.recognizer()) {
            case SPHINX4 -> new SphinxRecognizer(o.sphinx());
            case WHISPER -> {
                if (o.whisper() == null) {
                    throw new AudioException("Recognizer WHISPER needs a Whisper checkpoint directory: set "
                            + "prism.audio.whisper.model-dir (TranscriberOptions.withWhisper) to a Hugging Face Whisper "
                            + "checkpoint, e.g. after `prism models fetch openai/whisper-base`, or use recognizer SPHINX4");
                }
                yield WhisperRecognizer.load(o.whisper());
            }
        };
    }

    static VoiceActivityDetector loadVad(TranscriberOptions o) {
        return o.vadModel() == null ? new EnergyVad() : new SileroVad(o.vadModel());
    }

    public SpeechRecognizer recognizer() {
        return recognizer;
    }

    public VoiceActivityDetector vad() {
        return vad;
    }

    public TranscriberOptions options() {
        return options;
    }

    /** Speech regions of the input, in seconds. */
    public List<SpeechRegion> speechRegions(float[] pcm16k) {
        TranscriptAssembler.checkSamples(pcm16k, "transcribe");
        if (pcm16k.length == 0) {
            return List.of();
        }
        return new SpeechSegmenter(options.vad()).regions(vad.speechProbabilities(pcm16k), pcm16k.length);
    }

    /** Transcribes 16 kHz mono PCM; times in the transcript are seconds from {@code pcm16k[0]}. */
    public Transcript transcribe(float[] pcm16k) {
        List<SpeechRegion> regions = speechRegions(pcm16k);
        List<List<RecognizedWord>> words = regions.parallelStream()
                .map(r -> recognizer.recognize(Arrays.copyOfRange(pcm16k, (int) Math.round(r.start() * 16000),
                        (int) Math.min(pcm16k.length, Math.round(r.end() * 16000))), r.start()))
                .toList();
        TranscriptAssembler a = new TranscriptAssembler();
        for (int i = 0; i < regions.size(); i++) {
            a.add(regions.get(i).start(), regions.get(i).end(), words.get(i));
        }
        boolean clipped = pcm16k.length > 0
                && TranscriptAssembler.saturated(pcm16k) > options.clippedFraction() * pcm16k.length;
        return demoFlagged(a.build(recognizer.language(), recognizer.name(), clipped, !regions.isEmpty(),
                options.minConfidence()));
    }

    /** Output of a generated (prism_demo) checkpoint carries the {@code demo} flag. */
    private Transcript demoFlagged(Transcript t) {
        if (!(recognizer instanceof WhisperRecognizer w && w.isDemo())) {
            return t;
        }
        List<String> flags = new java.util.ArrayList<>(t.flags());
        flags.add(FLAG_DEMO);
        return new Transcript(t.language(), t.recognizer(), t.segments(), flags);
    }

    /** A new stream sharing this transcriber's recognizer and VAD. */
    public StreamingTranscriber openStream() {
        return new StreamingTranscriber(recognizer, vad, options);
    }

    @Override
    public void close() {
        if (owns) {
            recognizer.close();
            vad.close();
        }
    }
}
