package dev.prism.audio.asr;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Search settings of the embedded CMU Sphinx4 recognizer. The defaults are the values tuned on the LibriVox
 * clips ({@code AsrBench.sweep}): the state beam (2000 tokens, 1e-50) is where accuracy breaks first (1000 tokens
 * or 1e-40 cost words), while the word-end list can be far narrower than the state list (200 tokens instead of
 * 2000; about half the decode time at the same WER, 9/41 words). One decoder runs at a real-time factor of about
 * 0.45 (thread CPU time); the default pool of two decoders decodes VAD regions on both cores at once. A relative
 * word beam of 1e-40 is faster still at the same WER on the clips, but moves streaming and offline transcripts of
 * the same audio apart beyond StreamingAgreementTest's tolerance, so it is not the default.
 *
 * @param languageWeight        LM scale against acoustic scores (Sphinx default 8; higher trusts the LM more)
 * @param absoluteBeamWidth     max active HMM states per frame
 * @param relativeBeamWidth     state pruning threshold relative to the best score (e.g. 1e-60)
 * @param absoluteWordBeamWidth max active word-end tokens per frame
 * @param relativeWordBeamWidth word pruning threshold relative to the best score
 * @param wordInsertionProbability penalty for starting a new word
 * @param lookahead             use the phone-loop fast-match lookahead search (faster at equal beams)
 * @param poolSize              decoders kept loaded; concurrent recognize calls beyond it wait
 * @param properties            overrides of the other global properties of sphinx.config.xml (e.g.
 *                              {@code phoneticLookaheadWindow}, {@code topGaussiansNum});
 *                              an unknown name fails at load with the list of known ones
 */
public record SphinxOptions(double languageWeight, int absoluteBeamWidth, double relativeBeamWidth,
                            int absoluteWordBeamWidth, double relativeWordBeamWidth,
                            double wordInsertionProbability, boolean lookahead, int poolSize,
                            Map<String, String> properties) {
    public SphinxOptions {
        properties = properties == null ? Map.of() : Map.copyOf(properties);
        if (languageWeight <= 0 || absoluteBeamWidth <= 0 || absoluteWordBeamWidth <= 0) {
            throw new IllegalArgumentException("Sphinx languageWeight and beam widths must be positive");
        }
        if (!(relativeBeamWidth > 0 && relativeBeamWidth < 1 && relativeWordBeamWidth > 0 && relativeWordBeamWidth < 1)) {
            throw new IllegalArgumentException("Sphinx relative beams must lie in (0, 1), e.g. 1e-60");
        }
        if (!(wordInsertionProbability > 0 && wordInsertionProbability <= 1)) {
            throw new IllegalArgumentException("Sphinx wordInsertionProbability must lie in (0, 1]");
        }
        if (poolSize < 1) {
            throw new IllegalArgumentException("Sphinx poolSize must be at least 1, was " + poolSize);
        }
    }

    public static SphinxOptions defaults() {
        return new SphinxOptions(8.0, 2000, 1e-50, 200, 1e-50, 0.1, true, 2, Map.of());
    }

    /** These options with one more global property override (see {@code properties}). */
    public SphinxOptions with(String property, String value) {
        Map<String, String> p = new LinkedHashMap<>(properties);
        p.put(property, value);
        return new SphinxOptions(languageWeight, absoluteBeamWidth, relativeBeamWidth, absoluteWordBeamWidth,
                relativeWordBeamWidth, wordInsertionProbability, lookahead, poolSize, p);
    }

    public SphinxOptions withPoolSize(int n) {
        return new SphinxOptions(languageWeight, absoluteBeamWidth, relativeBeamWidth, absoluteWordBeamWidth,
                relativeWordBeamWidth, wordInsertionProbability, lookahead, n, properties);
    }
}
