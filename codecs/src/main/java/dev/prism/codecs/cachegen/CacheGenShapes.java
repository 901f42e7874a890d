package dev.prism.codecs.cachegen;

/** Shape validation for {@link KvCache}. */
final class CacheGenShapes {
    private CacheGenShapes() {
    }

    static void check(float[][][][] k, float[][][][] v) {
        CacheGenException.check(k != null && v != null && k.length > 0, "KV cache: keys or values missing or no layers");
        CacheGenException.check(k.length == v.length, "KV cache: " + k.length + " key layers but " + v.length
                + " value layers");
        CacheGenException.check(k[0].length > 0 && k[0][0].length > 0 && k[0][0][0].length > 0,
                "KV cache: layer 0 has no heads, tokens or head dimension");
        int h = k[0].length;
        int t = k[0][0].length;
        int d = k[0][0][0].length;
        for (float[][][][] kv : new float[][][][][] {k, v}) {
            String name = kv == k ? "keys" : "values";
            for (int l = 0; l < kv.length; l++) {
                CacheGenException.check(kv[l].length == h, name + "[" + l + "] has " + kv[l].length
                        + " heads, expected " + h);
                for (int hh = 0; hh < h; hh++) {
                    CacheGenException.check(kv[l][hh].length == t, name + "[" + l + "][" + hh + "] has "
                            + kv[l][hh].length + " tokens, expected " + t + ": encode one uniform cache");
                    for (int tt = 0; tt < t; tt++) {
                        float[] row = kv[l][hh][tt];
                        if (row.length != d) {
                            throw new CacheGenException(name + "[" + l + "][" + hh + "][" + tt
                                    + "] has head dimension " + row.length + ", expected " + d);
                        }
                        for (float x : row) {
                            if (!Float.isFinite(x)) {
                                throw new CacheGenException(name + "[" + l + "][" + hh + "][" + tt + "] holds " + x
                                        + ": a KV cache must be finite");
                            }
                        }
                    }
                }
            }
        }
    }
}
