package dev.prism.vision.pruning;

/** Thrown when token arrays handed to a pruner have the wrong shape or values; the message names the input and the fix. */
public final class PruningInputException extends IllegalArgumentException {
    public PruningInputException(String message) {
        super(message);
    }

    static void check(boolean ok, String message) {
        if (!ok) {
            throw new PruningInputException(message);
        }
    }

    static int checkMatrix(float[][] m, String name) {
        check(m != null && m.length > 0, name + " is null or empty: pass at least one token row");
        int dim = m[0] == null ? 0 : m[0].length;
        check(dim > 0, name + "[0] is null or empty: every token needs a feature vector");
        for (int i = 0; i < m.length; i++) {
            check(m[i] != null && m[i].length == dim,
                    name + "[" + i + "] has length " + (m[i] == null ? "null" : m[i].length) + ", expected " + dim
                            + ": all tokens must share one feature dimension");
            for (float v : m[i]) {
                if (!Float.isFinite(v)) {
                    throw new PruningInputException(name + "[" + i + "] holds a non-finite value " + v
                            + ": check the upstream layer");
                }
            }
        }
        return dim;
    }
}
