package dev.prism.audio.asr;

import dev.prism.audio.AudioException;
import edu.cmu.sphinx.decoder.search.SearchManager;
import edu.cmu.sphinx.result.Result;
import edu.cmu.sphinx.result.WordResult;

import java.util.ArrayList;
import java.util.List;

/**
 * Incremental Sphinx4 decoding of one audio stream: an utterance is started at a stream time, audio is pushed as it
 * arrives and every complete 10 ms frame is searched at once, so the search state (active tokens, word history)
 * carries over from push to push and each push costs only its new audio, not a re-decode of the utterance. The
 * partial hypothesis is the best active token's word path (Sphinx's own partial result); {@link #finish} ends the
 * utterance and returns the final best path (lattice words when the lattice builds, as {@link SphinxRecognizer}).
 *
 * <p>The front end differs from the offline one in what a stream allows: live cepstral mean normalisation (a running
 * mean carried across utterances) instead of batch normalisation over the whole utterance, which needs the
 * utterance's end before its first frame, and the plain word-pruning search instead of the phone-loop lookahead
 * search, whose fast match runs a fixed number of frames ahead and stops for good at the first frame not yet there.
 * Holds one loaded decoder, which {@link #close} hands back to its recognizer for the next stream; not thread-safe.
 */
public final class SphinxStream implements IncrementalDecoder {
    /** Samples pushed at once at an utterance start (0.1 s, ten frames; the delta window needs four). */
    private static final int FIRST_PUSH = 1600;
    /** Live CMN's initial window (frames), set in the streaming configuration. */
    static final int INITIAL_CMN_FRAMES = 200;
    /** Samples pushed at once at a decoder's first utterance: the initial CMN window and some to spare. */
    private static final int FIRST_PUSH_NEW_DECODER = (INITIAL_CMN_FRAMES + 10) * 160 + 410;
    private final SearchManager search;
    private final PushDataSource source;
    private final Runnable release;
    private double offset;
    private boolean open;
    private boolean closed;
    private Result last;
    private long frames;
    /**
     * Audio of an utterance's start held back until there is enough for the frames the front end reads ahead: the
     * delta feature extractor reads 4 frames at once at every utterance start (and breaks if one is not there yet),
     * and live CMN reads its first {@link #INITIAL_CMN_FRAMES} frames in one go, once per decoder, to initialise its
     * mean (a frame not there yet would leave it a mean of a few frames and a queue of empty reads that stall the
     * search for as many pushes).
     */
    private final float[] head = new float[FIRST_PUSH_NEW_DECODER];
    private int headLen;
    private boolean headDone;

    SphinxStream(SearchManager search, PushDataSource source, Runnable release) {
        this.search = search;
        this.source = source;
        this.release = release;
    }

    @Override
    public void start(double offsetSeconds) {
        check();
        if (open) {
            throw new IllegalStateException("SphinxStream: an utterance is already open; finish() it first");
        }
        offset = offsetSeconds;
        source.startUtterance();
        search.startRecognition();
        last = null;
        frames = 0;
        headLen = 0;
        headDone = false;
        open = true;
    }

    /**
     * Caller's clock at the end of the last searched frame: trails {@link #fedUntil} only by the front end's
     * look-ahead (a window and the delta frames, under 0.1 s) once past the held-back start of an utterance.
     */
    public double searchedUntil() {
        return offset + frames * 0.01;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public double fedUntil() {
        return offset + (source.samples() + headLen) / (double) SpeechRecognizer.SAMPLE_RATE;
    }

    @Override
    public void accept(float[] pcm, int from, int to) {
        check();
        if (!open) {
            throw new IllegalStateException("SphinxStream: start() an utterance before pushing audio");
        }
        if (pcm == null || from < 0 || to > pcm.length || from > to) {
            throw new AudioException("SphinxStream.accept: samples [" + from + ", " + to + ") of "
                    + (pcm == null ? "null" : pcm.length + " samples") + "; pass a range inside the 16 kHz array");
        }
        if (!headDone) {
            int need = source.primed() ? FIRST_PUSH : FIRST_PUSH_NEW_DECODER;
            int n = Math.min(to - from, need - headLen);
            System.arraycopy(pcm, from, head, headLen, n);
            headLen += n;
            from += n;
            if (headLen < need) {
                return;
            }
            pushHead();
        }
        source.push(pcm, from, to);
        Result r;
        while ((r = search.recognize(1)) != null) {
            last = r;
            frames++;
        }
    }

    @Override
    public List<RecognizedWord> partial() {
        check();
        if (last == null) {
            return List.of();
        }
        List<RecognizedWord> out = new ArrayList<>();
        for (WordResult w : bestPath(last)) {
            RecognizedWord rw = SphinxRecognizer.toWord(w, offset);
            if (rw != null) {
                out.add(rw);
            }
        }
        return out;
    }

    @Override
    public List<RecognizedWord> finish() {
        check();
        if (!open) {
            return List.of();
        }
        if (!headDone && headLen == 0) {
            // nothing pushed: no search, and live CMN must not start its mean from an empty utterance
            search.stopRecognition();
            while (source.getData() != null) {
                // drop the utterance's start signal
            }
            open = false;
            return List.of();
        }
        pushHead();
        source.endUtterance();
        Result r;
        Result fin = last;
        while ((r = search.recognize(1)) != null) {
            fin = r;
            if (r.isFinal()) {
                break;
            }
        }
        search.stopRecognition();
        while (source.getData() != null) {
            // nothing of this utterance may leak into the next one
        }
        open = false;
        last = null;
        List<RecognizedWord> out = new ArrayList<>();
        if (fin != null) {
            for (WordResult w : SphinxRecognizer.words(fin)) {
                RecognizedWord rw = SphinxRecognizer.toWord(w, offset);
                if (rw != null) {
                    out.add(rw);
                }
            }
        }
        return out;
    }

    private void pushHead() {
        if (!headDone) {
            source.push(head, 0, headLen);
            source.markPrimed();
            headLen = 0;
            headDone = true;
        }
    }

    private static List<WordResult> bestPath(Result r) {
        try {
            return r.getTimedBestResult(false);
        } catch (RuntimeException noPath) {
            return List.of();
        }
    }

    private void check() {
        if (closed) {
            throw new IllegalStateException("SphinxStream is closed");
        }
    }

    @Override
    public void close() {
        if (!closed) {
            if (open) {
                finish();
            }
            closed = true;
            release.run();
        }
    }
}
