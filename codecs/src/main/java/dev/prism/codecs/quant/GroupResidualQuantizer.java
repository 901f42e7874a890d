package dev.prism.codecs.quant;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * HiFi-Codec group-residual VQ (ALGORITHMS.md 5.3): the frame vector is split into {@code groups}
 * equal sub-vectors; each stage quantizes every group's residual with its own codebook, so GRVQ is
 * exactly one independent RVQ per group. Codes per frame are stage-major,
 * {@code [s1g1, s1g2, s2g1, s2g2]} for G = 2, R = 2 (HiFi-Codec's configuration; both are
 * parameters here).
 */
public final class GroupResidualQuantizer implements VectorQuantizer {
    private final Codebook[] books;   // index stage * groups + group
    private final QuantizerLayout layout;

    /** {@code books} in code order: stage-major, group-minor. */
    public GroupResidualQuantizer(int groups, List<Codebook> books) {
        if (groups < 1 || books.isEmpty() || books.size() % groups != 0) {
            throw new IllegalArgumentException("GRVQ needs groups x stages codebooks; got " + books.size()
                    + " codebooks for " + groups + " groups");
        }
        this.books = books.toArray(new Codebook[0]);
        int gdim = this.books[0].dim();
        int size = this.books[0].size();
        for (Codebook c : this.books) {
            if (c.dim() != gdim || c.size() != size) {
                throw new IllegalArgumentException("all GRVQ codebooks must share size and dim");
            }
        }
        if (Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("codebook size must be a power of two, got " + size);
        }
        this.layout = new QuantizerLayout(QuantizerLayout.Kind.GRVQ, groups, books.size() / groups, gdim * groups,
                Integer.numberOfTrailingZeros(size));
    }

    @Override
    public QuantizerLayout layout() {
        return layout;
    }

    @Override
    public Codebook codebook(int i) {
        return books[i];
    }

    @Override
    public void encode(float[] x, int off, int[] codes, int codeOff) {
        int groups = layout.groups();
        int gdim = layout.groupDim();
        int stages = layout.stages();
        float[] r = Arrays.copyOfRange(x, off, off + layout.dim());
        for (int s = 0; s < stages; s++) {
            for (int g = 0; g < groups; g++) {
                Codebook cb = books[s * groups + g];
                int idx = cb.nearest(r, g * gdim);
                codes[codeOff + s * groups + g] = idx;
                if (s + 1 < stages) {
                    cb.subtractFrom(idx, r, g * gdim);
                }
            }
        }
    }

    @Override
    public void encodeBatch(float[] x, int off, int count, int[] codes, int codeOff) {
        int groups = layout.groups();
        int gdim = layout.groupDim();
        int dim = layout.dim();
        int stages = layout.stages();
        int nc = books.length;
        float[] r = Arrays.copyOfRange(x, off, off + count * dim);
        for (int s = 0; s < stages; s++) {
            for (int g = 0; g < groups; g++) {
                int pos = s * groups + g;
                Codebook cb = books[pos];
                cb.nearestBatch(r, g * gdim, dim, count, codes, codeOff + pos, nc);
                if (s + 1 < stages) {
                    for (int i = 0; i < count; i++) {
                        cb.subtractFrom(codes[codeOff + i * nc + pos], r, i * dim + g * gdim);
                    }
                }
            }
        }
    }

    @Override
    public void decode(int[] codes, int codeOff, float[] out, int outOff) {
        int groups = layout.groups();
        int gdim = layout.groupDim();
        Arrays.fill(out, outOff, outOff + layout.dim(), 0f);
        for (int i = 0; i < books.length; i++) {
            int idx = codes[codeOff + i];
            if (idx < 0 || idx >= books[i].size()) {
                throw new IllegalArgumentException("code " + idx + " outside codebook " + i + " of size " + books[i].size());
            }
            books[i].addTo(idx, out, outOff + (i % groups) * gdim);
        }
    }

    @Override
    public GroupResidualQuantizer withStages(int n) {
        if (n < 1 || n > layout.stages()) {
            throw new IllegalArgumentException("GRVQ has " + layout.stages() + " stages; cannot keep " + n);
        }
        List<Codebook> kept = new ArrayList<>(List.of(books).subList(0, n * layout.groups()));
        return new GroupResidualQuantizer(layout.groups(), kept);
    }
}
