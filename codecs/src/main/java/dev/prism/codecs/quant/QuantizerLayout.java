package dev.prism.codecs.quant;

/**
 * Shape of a quantizer as the container header records it: {@code groups} sub-vectors of
 * {@code dim / groups} each, {@code stages} residual stages, {@code 2^codeBits} codewords per
 * codebook. RVQ is the case groups = 1. Code order per frame is stage-major:
 * {@code [s1g1, s1g2, ..., s2g1, ...]}, HiFi-Codec's order (ALGORITHMS.md 5.3).
 */
public record QuantizerLayout(Kind kind, int groups, int stages, int dim, int codeBits) {
    public enum Kind { RVQ, GRVQ }

    public QuantizerLayout {
        if (groups < 1 || stages < 1 || dim < 1 || dim % groups != 0 || codeBits < 1 || codeBits > 16) {
            throw new IllegalArgumentException("invalid quantizer layout: kind=" + kind + " groups=" + groups
                    + " stages=" + stages + " dim=" + dim + " codeBits=" + codeBits + " (dim must divide by groups, codeBits 1..16)");
        }
        if (kind == Kind.RVQ && groups != 1) {
            throw new IllegalArgumentException("RVQ layout must have one group, got " + groups);
        }
    }

    public int numCodebooks() {
        return groups * stages;
    }

    public int groupDim() {
        return dim / groups;
    }

    public int codebookSize() {
        return 1 << codeBits;
    }

    public int bitsPerFrame() {
        return numCodebooks() * codeBits;
    }
}
