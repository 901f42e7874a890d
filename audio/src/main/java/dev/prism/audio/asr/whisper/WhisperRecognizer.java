package dev.prism.audio.asr.whisper;

import dev.prism.audio.AudioException;
import dev.prism.audio.asr.RecognizedWord;
import dev.prism.audio.asr.SpeechRecognizer;
import dev.prism.audio.features.WhisperLogMel;
import dev.prism.llm.checkpoint.CheckpointException;
import dev.prism.llm.runtime.RuntimeOptions;
import dev.prism.llm.whisper.WhisperModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Whisper (tiny to large, multilingual and .en) from a Hugging Face checkpoint on the model runtime, decoding
 * as openai/whisper transcribe() does: log-mel of the whole region, 30 s windows (shorter ones zero-padded)
 * advanced by the last timestamp token, language detected on the first window unless configured, timestamp
 * rules, temperature fallback, the no-speech skip, prompting with previous windows' text, and word times from
 * cross-attention + DTW. Thread-safe: each call decodes with its own caches over the shared model.
 */
public final class WhisperRecognizer implements SpeechRecognizer {
    private final WhisperOptions options;
    private final WhisperModel model;
    private final WhisperTokens tokens;
    private final WindowDecoder decoder;
    private final WhisperLogMel logMel;
    private final int windowFrames;
    private final String name;
    private volatile String lastLanguage;

    private WhisperRecognizer(WhisperOptions o, WhisperModel model) {
        this.options = o;
        this.model = model;
        var spec = model.spec();
        if (spec.mels() != 80 && spec.mels() != 128) {
            throw new AudioException(o.modelDir() + ": num_mel_bins is " + spec.mels() + "; Whisper checkpoints use 80 "
                    + "(or 128 for large-v3), so this checkpoint cannot take Whisper log-mel features");
        }
        this.logMel = new WhisperLogMel(spec.mels());
        this.windowFrames = 2 * spec.maxSource();
        this.tokens = WhisperTokens.read(o.modelDir(), model.checkpoint().tokenizer(), spec.vocab(), spec.decoderLayers(),
                spec.decoderHeads());
        this.decoder = new WindowDecoder(model, tokens, model.checkpoint().tokenizer());
        if (o.language() != null && tokens.multilingual()) {
            tokens.sotSequence(LanguageDetector.toWhisper(o.language()), o.task());
        }
        String dir = o.modelDir().getFileName() == null ? "model" : o.modelDir().getFileName().toString();
        this.name = "whisper-" + dir + (model.isDemo() ? "-demo" : "");
        this.lastLanguage = !tokens.multilingual() ? "en" : o.language() == null ? null
                : LanguageDetector.toBcp47(LanguageDetector.toWhisper(o.language()));
    }

    /** Loads the checkpoint in {@code o.modelDir()}; a clear {@link AudioException} when it is missing or invalid. */
    public static WhisperRecognizer load(WhisperOptions o) {
        Path dir = o.modelDir();
        for (String f : new String[] {"config.json", "tokenizer.json", "generation_config.json"}) {
            if (!Files.exists(dir.resolve(f))) {
                throw new AudioException("Whisper model directory " + dir.toAbsolutePath() + " has no " + f + ": point "
                        + "prism.audio.whisper.model-dir at a Hugging Face Whisper checkpoint (config.json, "
                        + "model.safetensors, tokenizer.json, generation_config.json), e.g. after `prism models fetch "
                        + "openai/whisper-base`");
            }
        }
        WhisperModel m;
        try {
            m = WhisperModel.load(dir, RuntimeOptions.threads(o.threads()));
        } catch (CheckpointException e) {
            throw new AudioException("Whisper model directory " + dir.toAbsolutePath() + " is not a usable Whisper "
                    + "checkpoint: " + e.getMessage(), e);
        }
        try {
            return new WhisperRecognizer(o, m);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return name;
    }

    /** The configured language, else the one detected on the last recognized region ({@code und} before any). */
    @Override
    public String language() {
        String l = lastLanguage;
        return l == null ? "und" : l;
    }

    /** True when the checkpoint is a generated one ({@code prism_demo}): its output is demo output. */
    public boolean isDemo() {
        return model.isDemo();
    }

    public WhisperOptions options() {
        return options;
    }

    /** Mel frames of one window (3000 = 30 s for every released Whisper). */
    public int windowFrames() {
        return windowFrames;
    }

    /** Detects the language of the first window of pcm16k; returns its BCP 47 code ({@code en} for .en models). */
    public String detectLanguage(float[] pcm16k) {
        checkSamples(pcm16k);
        if (!tokens.multilingual()) {
            return "en";
        }
        float[][] mel = logMel(pcm16k);
        int content = pcm16k.length / WhisperLogMel.HOP;
        float[] enc = model.encode(window(mel, 0, Math.min(windowFrames, content)), windowFrames);
        return LanguageDetector.toBcp47(LanguageDetector.detect(decoder.sotLogits(enc), tokens.languages()));
    }

    @Override
    public List<RecognizedWord> recognize(float[] pcm16k, double offsetSeconds) {
        checkSamples(pcm16k);
        int content = pcm16k.length / WhisperLogMel.HOP;
        if (content == 0) {
            return List.of();
        }
        float[][] mel = logMel(pcm16k);
        String language = options.language() == null ? null : LanguageDetector.toWhisper(options.language());
        List<SegmentWords.Timed> words = new ArrayList<>();
        List<Long> allTokens = new ArrayList<>();
        int promptFrom = 0;
        int seek = 0;
        double[] lastSpeech = {0};
        while (seek < content) {
            int segFrames = Math.min(windowFrames, content - seek);
            float[] enc = model.encode(window(mel, seek, segFrames), windowFrames);
            if (language == null && tokens.multilingual()) {
                language = LanguageDetector.detect(decoder.sotLogits(enc), tokens.languages());
                lastLanguage = LanguageDetector.toBcp47(language);
            }
            long[] sot = tokens.sotSequence(language, options.task());
            long[] prompt = options.conditionOnPreviousText()
                    ? allTokens.subList(promptFrom, allTokens.size()).stream().mapToLong(Long::longValue).toArray()
                    : new long[0];
            DecodeResult r = decodeWithFallback(enc, sot, prompt, seek);
            if (Fallback.skip(r, options)) {
                seek += segFrames;
                continue;
            }
            WindowSegments.Split split = options.timestamps()
                    ? WindowSegments.split(r.tokens(), tokens.timestampBegin(), seek, segFrames)
                    : new WindowSegments.Split(List.of(new WindowSegments.TokenSegment(seek / 100.0,
                            (seek + segFrames) / 100.0, r.tokens())), seek + segFrames, false);
            int next = split.nextSeek();
            List<SegmentWords.Timed> timed = SegmentWords.words(split, r, decoder, enc, sot, segFrames, seek, options, tokens,
                    lastSpeech);
            if (options.wordTimestamps() && !split.singleTimestampEnding() && !timed.isEmpty()) {
                double lastEnd = timed.get(timed.size() - 1).end();
                if (lastEnd > seek / 100.0) {
                    next = (int) Math.round(lastEnd * WindowSegments.FRAMES_PER_SECOND);
                }
            }
            words.addAll(timed);
            for (WindowSegments.TokenSegment s : split.segments()) {
                for (long t : s.tokens()) {
                    allTokens.add(t);
                }
            }
            if (!options.conditionOnPreviousText() || r.temperature() > 0.5) {
                promptFrom = allTokens.size();
            }
            seek = next > seek ? next : seek + segFrames;
        }
        return SegmentWords.placed(words, offsetSeconds, pcm16k.length / (double) SAMPLE_RATE);
    }

    /** The first window of pcm16k decoded with the fallback ladder, in the given language (tests look inside). */
    DecodeResult decodeFirstWindow(float[] pcm16k, String whisperLanguage) {
        checkSamples(pcm16k);
        float[][] mel = logMel(pcm16k);
        int frames = Math.min(windowFrames, pcm16k.length / WhisperLogMel.HOP);
        float[] enc = model.encode(window(mel, 0, frames), windowFrames);
        return decodeWithFallback(enc, tokens.sotSequence(whisperLanguage, options.task()), new long[0], 0);
    }

    WhisperTokens tokens() {
        return tokens;
    }

    /** Whisper's decode_with_fallback: each temperature in turn until the result passes the quality gates. */
    DecodeResult decodeWithFallback(float[] enc, long[] sot, long[] prompt, int seek) {
        DecodeResult r = null;
        for (double t : options.temperatures()) {
            Random rng = new Random(options.seed() * 1_000_003L + seek * 31L + Double.hashCode(t));
            r = decoder.decode(enc, sot, prompt, options, t, rng);
            if (!Fallback.needsFallback(r, options)) {
                break;
            }
        }
        return r;
    }

    private float[][] logMel(float[] pcm) {
        // zeros past the end give every frame that touches the audio the same value and global maximum as
        // Whisper's 30 s padding does; frames further out are pure silence and cannot raise the maximum
        return logMel.compute(Arrays.copyOf(pcm, pcm.length + 10 * WhisperLogMel.HOP));
    }

    /** mel frames [seek, seek + frames) as [mels * windowFrames], zero-padded as Whisper's pad_or_trim. */
    private float[] window(float[][] mel, int seek, int frames) {
        int mels = mel.length;
        float[] out = new float[mels * windowFrames];
        for (int m = 0; m < mels; m++) {
            System.arraycopy(mel[m], seek, out, m * windowFrames, frames);
        }
        return out;
    }

    private static void checkSamples(float[] pcm) {
        if (pcm == null) {
            throw new AudioException("Whisper: pcm16k is null; pass mono 16 kHz samples in [-1, 1]");
        }
        for (int i = 0; i < pcm.length; i++) {
            if (!Float.isFinite(pcm[i])) {
                throw new AudioException("Whisper: sample " + i + " is " + pcm[i] + "; pass finite mono 16 kHz samples in [-1, 1]");
            }
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
