package dev.prism.codecs.cachegen;

import java.util.zip.CRC32;

/**
 * Delta-anchor runs for a cache whose tokens are not a complete frames x patches grid (pruned or merged vision
 * tokens): {@code keys[t] >= 0} puts token t in the run of tokens with that key (the same image patch in successive
 * frames, in token order), -1 leaves it out of every run; {@code positions[t]} is its RoPE position, which
 * {@link KeyRope} needs to turn a key anchor to the member's phase. Keyed tokens are coded together, run by run, from
 * where the first keyed token was; the others keep their order around them.
 *
 * <p>The runs do not travel in the container (a pruned context already stores its positions, from which its owner
 * rebuilds them): the container keeps their CRC-32, and decoding needs the same runs
 * ({@link CacheGenCodec#decode(byte[], TokenRuns)}). Wrong runs give an error, never wrong values.
 */
public record TokenRuns(int[] keys, long[] positions) implements TokenLayout {
    public TokenRuns {
        CacheGenException.check(keys != null && positions != null && keys.length == positions.length, "token runs need "
                + "one key and one position per token");
        keys = keys.clone();
        positions = positions.clone();
        for (int k : keys) {
            CacheGenException.check(k >= -1, "token run key " + k + " is invalid: use -1 for a token in no run");
        }
    }

    /** CRC-32 of the token count, keys and positions: what the container records to check the decoder's runs. */
    int checksum() {
        CRC32 c = new CRC32();
        byte[] b = new byte[12];
        put(b, 0, keys.length);
        c.update(b, 0, 4);
        for (int t = 0; t < keys.length; t++) {
            put(b, 0, keys[t]);
            put(b, 4, (int) (positions[t] >>> 32));
            put(b, 8, (int) positions[t]);
            c.update(b, 0, 12);
        }
        return (int) c.getValue();
    }

    private static void put(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TokenRuns r && java.util.Arrays.equals(keys, r.keys)
                && java.util.Arrays.equals(positions, r.positions);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Arrays.hashCode(keys) + java.util.Arrays.hashCode(positions);
    }

    @Override
    public String toString() {
        return "TokenRuns[" + keys.length + " tokens]";
    }
}
