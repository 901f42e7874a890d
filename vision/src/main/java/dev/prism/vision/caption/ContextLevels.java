package dev.prism.vision.caption;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * A caption context stored at several CacheGen quality levels (ALGORITHMS.md 4.4: the adaptation pre-encodes each
 * chunk at every level and picks one per request). Format: "PCTL", version, count, then per level its number (1-3)
 * and byte length, then the single-level contexts ({@link CaptionContext}, each with its own CRC) in that order. A
 * plain single-level context is accepted wherever a leveled one is. A CRC-32 ends the container.
 */
final class ContextLevels {
    static final byte[] MAGIC = "PCTL".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    /** Offset of the level byte in a single-level context: magic, version, flags, model id. */
    private static final int LEVEL_OFFSET = 4 + 1 + 1 + 4;

    private ContextLevels() {
    }

    /** Packs level -> single-level context, ascending levels. */
    static byte[] pack(Map<Integer, byte[]> byLevel) {
        Bytes.Out o = new Bytes.Out().put(MAGIC).u8(VERSION).u8(byLevel.size());
        int[] levels = byLevel.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
        for (int l : levels) {
            o.u8(l).i32(byLevel.get(l).length);
        }
        for (int l : levels) {
            o.put(byLevel.get(l));
        }
        return o.finishWithCrc();
    }

    /** Coded bytes of each level (index level - 1), 0 where the context does not hold that level. */
    static long[] sizes(byte[] data) {
        long[] out = new long[3];
        if (!isPacked(data)) {
            CaptionException.check(data != null && data.length > LEVEL_OFFSET, "caption context is truncated ("
                    + (data == null ? 0 : data.length) + " bytes)");
            int level = data[LEVEL_OFFSET] & 0xff;
            CaptionException.check(level >= 1 && level <= 3, "caption context level " + level + " is not 1-3: corrupt");
            out[level - 1] = data.length;
            return out;
        }
        Bytes in = header(data);
        int n = in.u8("the level count");
        for (int i = 0; i < n; i++) {
            int level = in.u8("a level number");
            CaptionException.check(level >= 1 && level <= 3, "caption context names level " + level + ": corrupt");
            out[level - 1] = in.count("level " + level + "'s length", data.length);
        }
        return out;
    }

    /** The single-level context of {@code level}; a clear error when the context does not hold it. */
    static byte[] level(byte[] data, int level) {
        if (!isPacked(data)) {
            CaptionException.check(sizes(data)[level - 1] > 0, "the caption context holds level "
                    + (data[LEVEL_OFFSET] & 0xff) + " only, not level " + level);
            return data;
        }
        Bytes in = header(data);
        int n = in.u8("the level count");
        int[] levels = new int[n];
        int[] lengths = new int[n];
        for (int i = 0; i < n; i++) {
            levels[i] = in.u8("a level number");
            lengths[i] = in.count("a level's length", data.length);
        }
        int at = MAGIC.length + 2 + 5 * n;
        for (int i = 0; i < n; i++) {
            CaptionException.check(at + (long) lengths[i] <= data.length, "caption context level " + levels[i]
                    + " runs past the end: truncated");
            if (levels[i] == level) {
                return Arrays.copyOfRange(data, at, at + lengths[i]);
            }
            at += lengths[i];
        }
        throw new CaptionException("the caption context holds levels " + Arrays.toString(levels) + ", not level "
                + level);
    }

    /** The highest level the context holds. */
    static int best(byte[] data) {
        long[] s = sizes(data);
        for (int l = 3; l >= 1; l--) {
            if (s[l - 1] > 0) {
                return l;
            }
        }
        throw new CaptionException("the caption context holds no level");
    }

    private static boolean isPacked(byte[] data) {
        return data != null && data.length >= MAGIC.length
                && Arrays.equals(Arrays.copyOf(data, MAGIC.length), MAGIC);
    }

    private static Bytes header(byte[] data) {
        CaptionException.check(data.length >= MAGIC.length + 2 + 4, "leveled caption context is truncated ("
                + data.length + " bytes)");
        int stored = java.nio.ByteBuffer.wrap(data, data.length - 4, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
        CaptionException.check(Bytes.crc(data, data.length - 4) == stored, "leveled caption context fails its CRC-32 "
                + "check: truncated, or corrupted in storage or transit");
        Bytes in = new Bytes(data, "caption context");
        in.magic(MAGIC);
        int version = in.u8("the version");
        CaptionException.check(version == VERSION, "leveled caption context version " + version + " is not supported");
        return in;
    }
}
