package dev.prism.codecs.quant;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A quantizer with its identity: an id string, a demo flag (codebooks learned on a synthetic
 * corpus, not on real audio, so outputs must say so), and per-codebook usage counts from training
 * that seed the range coder's adaptive models. The hash covers layout and codeword values, so a
 * decoder can refuse a stream made with other codebooks.
 */
public record CodebookSet(String id, boolean demo, VectorQuantizer quantizer, long[][] usage) {
    public CodebookSet {
        if (usage != null && usage.length != quantizer.numCodebooks()) {
            throw new IllegalArgumentException("usage counts for " + usage.length + " codebooks, quantizer has "
                    + quantizer.numCodebooks());
        }
    }

    /** First 8 bytes of SHA-256 over layout and codeword floats. */
    public long hash() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            QuantizerLayout l = quantizer.layout();
            md.update((l.kind() + "/" + l.groups() + "/" + l.stages() + "/" + l.dim() + "/" + l.codeBits())
                    .getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < quantizer.numCodebooks(); i++) {
                float[] d = quantizer.codebook(i).data();
                ByteBuffer bb = ByteBuffer.allocate(d.length * 4);
                bb.asFloatBuffer().put(d);
                md.update(bb.array());
            }
            return ByteBuffer.wrap(md.digest()).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    /** The same set restricted to the first {@code stages} residual stages. */
    public CodebookSet withStages(int stages) {
        VectorQuantizer q = quantizer.withStages(stages);
        long[][] u = null;
        if (usage != null) {
            u = java.util.Arrays.copyOf(usage, q.numCodebooks());
        }
        return new CodebookSet(id, demo, q, u);
    }
}
