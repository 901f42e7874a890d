package dev.prism.codecs.entropy;

/**
 * Cumulative-frequency table over symbols {@code 0..size()-1}; {@code total() <= 1 << 16}, which
 * keeps the range coder's per-symbol rounding loss negligible. Every symbol that may be coded has
 * freq at least 1; a two-pass model ({@link StaticFrequencyModel#exact}) gives 0 to symbols it knows
 * will not occur, and {@link #symbolAt} never returns such a symbol.
 */
public interface FrequencyModel {
    /** Largest total any model may have; the range coder relies on it. */
    int MAX_TOTAL = 1 << 16;

    int size();

    int total();

    /** Sum of the frequencies of all symbols below {@code symbol}. */
    int low(int symbol);

    int freq(int symbol);

    /** The symbol s with {@code low(s) <= target < low(s) + freq(s)}; target is in {@code [0, total())}. */
    int symbolAt(int target);

    /** Adaptive models learn here; the encoder and the decoder both call it after each symbol. */
    default void update(int symbol) {
    }
}
