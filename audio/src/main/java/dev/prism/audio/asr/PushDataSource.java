package dev.prism.audio.asr;

import edu.cmu.sphinx.frontend.BaseDataProcessor;
import edu.cmu.sphinx.frontend.Data;
import edu.cmu.sphinx.frontend.DataEndSignal;
import edu.cmu.sphinx.frontend.DataStartSignal;
import edu.cmu.sphinx.frontend.DoubleData;

import java.util.ArrayDeque;

/**
 * Head of the Sphinx4 front end for {@link SphinxStream}: audio is pushed in as it arrives and handed on when the
 * front end pulls. When nothing is queued it answers {@code null}, which the search takes as "no frame now" and
 * resumes from on the next pull (its token lists are left as they were), so one search state spans many pushes.
 * Samples are scaled to 16-bit values, as Sphinx's own stream source produces them. Public only because Sphinx's
 * configuration manager instantiates it by class name.
 */
public final class PushDataSource extends BaseDataProcessor {
    private final ArrayDeque<Data> queue = new ArrayDeque<>();
    private long samples;
    private boolean primed;

    void startUtterance() {
        samples = 0;
        queue.add(new DataStartSignal(SpeechRecognizer.SAMPLE_RATE));
    }

    void push(float[] pcm, int from, int to) {
        if (to <= from) {
            return;
        }
        double[] v = new double[to - from];
        for (int i = from; i < to; i++) {
            v[i - from] = Math.round(Math.max(-1f, Math.min(1f, pcm[i])) * 32767f);
        }
        queue.add(new DoubleData(v, SpeechRecognizer.SAMPLE_RATE, samples));
        samples += v.length;
    }

    void endUtterance() {
        queue.add(new DataEndSignal(samples * 1000 / SpeechRecognizer.SAMPLE_RATE));
    }

    /** Whether audio was pushed before: the front end has read its initial windows (see SphinxStream). */
    boolean primed() {
        return primed;
    }

    void markPrimed() {
        primed = true;
    }

    /** Samples pushed since the utterance started. */
    long samples() {
        return samples;
    }

    @Override
    public Data getData() {
        return queue.poll();
    }
}
