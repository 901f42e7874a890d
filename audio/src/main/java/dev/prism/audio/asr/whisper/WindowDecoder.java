package dev.prism.audio.asr.whisper;

import dev.prism.llm.checkpoint.TextTokenizer;
import dev.prism.llm.whisper.WhisperModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decoder passes over one encoded 30 s window (openai/whisper decoding.py DecodingTask with the greedy decoder,
 * batch 1): language detection at the start-of-transcript position, decoding at one temperature with the logit
 * filters, and the forced-alignment pass that gives word timings. Stateless apart from a token text cache; each
 * call opens its own KV-cached {@link WhisperModel.Decoder}.
 */
final class WindowDecoder {
    private final WhisperModel model;
    private final WhisperTokens tok;
    private final TextTokenizer text;
    private final Map<Long, String> pieces = new ConcurrentHashMap<>();

    WindowDecoder(WhisperModel model, WhisperTokens tok, TextTokenizer text) {
        this.model = model;
        this.tok = tok;
        this.text = text;
    }

    /** The text of tokens decoded together (special tokens spelled out); single tokens are cached. */
    String piece(long[] ids) {
        return ids.length == 1 ? pieces.computeIfAbsent(ids[0], i -> text.decodeKeepSpecial(new long[] {i}))
                : text.decodeKeepSpecial(ids);
    }

    String decodeText(long[] tokens) {
        return text.decode(Arrays.stream(tokens).filter(t -> t < tok.eot()).toArray());
    }

    /** Logits at the start-of-transcript position (language detection). */
    float[] sotLogits(float[] encoded) {
        return model.decoder(encoded).feed(new long[] {tok.sot()}, false).last();
    }

    /**
     * Decodes one window: [startofprev, prompt tail,] sot sequence [, notimestamps], then up to half the decoder
     * context of sampled tokens until end-of-text.
     */
    DecodeResult decode(float[] encoded, long[] sotSequence, long[] prompt, WhisperOptions o, double temperature, Random rng) {
        int maxTarget = model.spec().maxTarget();
        List<Long> init = new ArrayList<>();
        if (prompt.length > 0) {
            init.add((long) tok.sotPrev());
            int keep = Math.min(prompt.length, maxTarget / 2 - 1);
            for (int i = prompt.length - keep; i < prompt.length; i++) {
                init.add(prompt[i]);
            }
        }
        int sotIndex = init.size();
        for (long t : sotSequence) {
            init.add(t);
        }
        if (!o.timestamps()) {
            init.add((long) tok.noTimestamps());
        }
        long[] ids = init.stream().mapToLong(Long::longValue).toArray();
        WhisperModel.Decoder dec = model.decoder(encoded);
        // up to <|startoftranscript|> first: its logits give the no-speech probability, and the head runs on
        // two rows instead of every prompt row
        float[] atSot = dec.feed(Arrays.copyOf(ids, sotIndex + 1), false).last();
        double noSpeech = softmaxAt(atSot, tok.noSpeech());
        float[] logits = ids.length > sotIndex + 1
                ? dec.feed(Arrays.copyOfRange(ids, sotIndex + 1, ids.length), false).last() : atSot;
        int maxInitial = (int) Math.round(o.maxInitialTimestamp() / WindowSegments.TIME_PRECISION);
        long[] sampled = new long[0];
        List<Double> probs = new ArrayList<>();
        double sumLogprob = 0;
        for (int i = 0; i < maxTarget / 2; i++) {
            LogitFilters.apply(logits, sampled, tok, o.suppressBlank(), o.timestamps(), maxInitial);
            double[] lp = LogitFilters.logSoftmax(logits);
            int next = temperature == 0 ? argmax(logits) : sample(logits, temperature, rng);
            if (next < 0) {
                break;
            }
            sumLogprob += lp[next];
            if (next == tok.eot()) {
                break;
            }
            sampled = Arrays.copyOf(sampled, sampled.length + 1);
            sampled[sampled.length - 1] = next;
            probs.add(Math.exp(lp[next]));
            if (dec.length() + 1 > maxTarget) {
                break;
            }
            logits = dec.feed(new long[] {next}, false).last();
        }
        String txt = decodeText(sampled);
        return new DecodeResult(sampled, probs.stream().mapToDouble(Double::doubleValue).toArray(), txt,
                sumLogprob / (sampled.length + 1), noSpeech, temperature, Fallback.compressionRatio(txt));
    }

    /**
     * The alignment pass: sot sequence, notimestamps, the window's text tokens and end-of-text through a fresh
     * decoder with cross-attention scores; returns word timings (seconds from the window start).
     */
    List<WordAlignment.WordTiming> align(float[] encoded, long[] sotSequence, long[] textTokens, int contentFrames) {
        if (textTokens.length == 0) {
            return List.of();
        }
        int sl = sotSequence.length;
        long[] ids = new long[sl + textTokens.length + 2];
        System.arraycopy(sotSequence, 0, ids, 0, sl);
        ids[sl] = tok.noTimestamps();
        System.arraycopy(textTokens, 0, ids, sl + 1, textTokens.length);
        ids[ids.length - 1] = tok.eot();
        WhisperModel.Decoder dec = model.decoder(encoded);
        WhisperModel.Step st = dec.feed(ids, true, true);
        double[] probs = new double[textTokens.length];
        for (int i = 0; i < textTokens.length; i++) {
            float[] row = Arrays.copyOf(st.row(sl + i), tok.eot());
            probs[i] = softmaxAt(row, (int) textTokens[i]);
        }
        int columns = Math.max(1, Math.min(dec.frames(), contentFrames / 2));
        float[][] m = WordAlignment.matrix(st.crossQk(), model.spec().decoderHeads(), ids.length, dec.frames(),
                tok.alignmentHeads(), columns);
        float[][] rows = Arrays.copyOfRange(m, sl, ids.length - 1);
        return WordAlignment.timings(rows, textTokens, probs, this::piece, tok.eot());
    }

    static int argmax(float[] a) {
        int b = -1;
        for (int i = 0; i < a.length; i++) {
            if (a[i] != Float.NEGATIVE_INFINITY && (b < 0 || a[i] > a[b])) {
                b = i;
            }
        }
        return b;
    }

    private static int sample(float[] logits, double temperature, Random rng) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v / temperature);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return -1;
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            p[i] = Math.exp(logits[i] / temperature - max);
            sum += p[i];
        }
        double u = rng.nextDouble() * sum;
        int last = -1;
        for (int i = 0; i < p.length; i++) {
            if (p[i] > 0) {
                last = i;
                u -= p[i];
                if (u <= 0) {
                    return i;
                }
            }
        }
        return last;
    }

    static double softmaxAt(float[] logits, int index) {
        return Math.exp(LogitFilters.logSoftmax(logits)[index]);
    }
}
