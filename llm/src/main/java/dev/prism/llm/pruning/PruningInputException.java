package dev.prism.llm.pruning;

/** Thrown when attention, cache layouts or settings handed to a pruner are inconsistent; the message names the input. */
public final class PruningInputException extends IllegalArgumentException {
    public PruningInputException(String message) {
        super(message);
    }

    static void check(boolean ok, String message) {
        if (!ok) {
            throw new PruningInputException(message);
        }
    }
}
