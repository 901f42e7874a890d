package dev.prism.codecs.cachegen;

/**
 * CacheGen's per-chunk configuration choice (ALGORITHMS.md 4.4, run_adaptation.py config_selection): with the
 * measured bandwidth for a chunk, take the highest quality level (3, 2, 1) whose transfer time bytes * 8 / 1e9 / bw is
 * below SLO / numChunks; if none fits, send the text and recompute the KV, modelled as a fixed 0.2 s.
 */
public final class LevelSelector {
    public static final double TEXT_RECOMPUTE_SECONDS = 0.2;
    public static final double DEFAULT_SLO_SECONDS = 2.0;
    /** Level value meaning "send text and recompute". */
    public static final int TEXT = 0;

    private LevelSelector() {
    }

    /** The chosen level (1-3, or {@link #TEXT}) and its modelled time in seconds. */
    public record Choice(int level, double seconds) {
    }

    /**
     * @param bytesByLevel coded bytes of this chunk at levels 1, 2, 3 (index level - 1)
     * @param bandwidthGbps measured bandwidth for the chunk, Gbit/s
     */
    public static Choice choose(long[] bytesByLevel, double bandwidthGbps, double sloSeconds, int numChunks) {
        CacheGenException.check(bytesByLevel != null && bytesByLevel.length == 3,
                "bytesByLevel needs the chunk's sizes at levels 1, 2 and 3");
        CacheGenException.check(bandwidthGbps > 0 && sloSeconds > 0 && numChunks > 0, "bandwidth " + bandwidthGbps
                + " Gbit/s, SLO " + sloSeconds + " s and chunk count " + numChunks + " must be positive");
        double budget = sloSeconds / numChunks;
        for (int level = 3; level >= 1; level--) {
            double t = bytesByLevel[level - 1] * 8 / 1e9 / bandwidthGbps;
            if (t < budget) {
                return new Choice(level, t);
            }
        }
        return new Choice(TEXT, TEXT_RECOMPUTE_SECONDS);
    }

    /** One choice per chunk with that chunk's bandwidth; bytes[chunk][level - 1]. */
    public static Choice[] choosePerChunk(long[][] bytes, double[] bandwidthGbps, double sloSeconds) {
        CacheGenException.check(bytes.length == bandwidthGbps.length, bytes.length + " chunks but "
                + bandwidthGbps.length + " bandwidth readings: pass one per chunk");
        Choice[] out = new Choice[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = choose(bytes[i], bandwidthGbps[i], sloSeconds, bytes.length);
        }
        return out;
    }
}
