package dev.prism.codecs.cachegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CacheGenStreamErrorsTest {
    @Test
    void everyTruncationIsReportedAsACacheGenError() {
        KvCache kv = SyntheticKvCache.generate(2, 2, 40, 4, 5);
        byte[] full = new CacheGenCodec(new CacheGenCodec.Options(16, 8, StreamGranularity.PER_LAYER))
                .encode(kv, BinConfig.level(2, 2)).bytes();
        for (int len = 0; len < full.length; len++) {
            byte[] cut = Arrays.copyOf(full, len);
            CacheGenException e = assertThrows(CacheGenException.class, () -> CacheGenCodec.decode(cut),
                    "prefix of " + len + " bytes");
            assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("corrupt"), e.getMessage());
        }
        assertEquals(40, CacheGenCodec.decode(full).tokens());
    }

    @Test
    void layoutAndRopeHeadersAreCheckedAndTruncationsNamed() {
        KvCache kv = CacheGenDeltaTest.video(3, 2, 12, 2, 11);
        TokenOrder layout = new TokenOrder(3, 2, 12);
        byte[] full = new CacheGenCodec(new CacheGenCodec.Options(16, 8, StreamGranularity.PER_LAYER)).encode(kv,
                BinConfig.level(2, 2), layout, KeyRope.standard(10000, 8)).bytes();
        for (int len = 0; len < full.length; len++) {
            byte[] cut = Arrays.copyOf(full, len);
            CacheGenException e = assertThrows(CacheGenException.class, () -> CacheGenCodec.decode(cut),
                    "prefix of " + len + " bytes");
            assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("corrupt"), e.getMessage());
        }
        // header: magic 4, version 1, four int32 and the chunk count, then the layout flag at 25 and its fields
        assertEquals(1, full[25]);
        byte[] frames = full.clone();
        frames[33] = 100; // 100 frames of 12 patches cannot fit 29 tokens
        assertTrue(assertThrows(CacheGenException.class, () -> CacheGenCodec.decode(frames)).getMessage()
                .contains("layout"));
        assertEquals(1, full[38]);
        byte[] count = full.clone();
        count[42] = 5; // 5 frequencies for head dimension 8
        assertTrue(assertThrows(CacheGenException.class, () -> CacheGenCodec.decode(count)).getMessage()
                .contains("RoPE"));
        byte[] frequency = full.clone();
        frequency[50] ^= 0x04; // a RoPE frequency would turn every key anchor wrongly: the header checksum catches it
        assertTrue(assertThrows(CacheGenException.class, () -> CacheGenCodec.decode(frequency)).getMessage()
                .contains("CRC"));
        assertThrows(CacheGenException.class, () -> new TokenOrder(0, 0, 5));
        assertThrows(CacheGenException.class, () -> new CacheGenCodec().encode(kv, BinConfig.level(2, 2),
                new TokenOrder(20, 2, 12)));
        assertThrows(CacheGenException.class, () -> new CacheGenCodec().encode(kv, BinConfig.level(2, 2), layout,
                KeyRope.standard(10000, 6)));
    }

    @Test
    void corruptionAndForeignDataAreRejected() {
        KvCache kv = SyntheticKvCache.generate(2, 1, 20, 4, 6);
        byte[] full = new CacheGenCodec().encode(kv, BinConfig.level(1, 2)).bytes();
        for (int pos : new int[] {0, 7, 30, full.length / 2, full.length - 1}) {
            byte[] bad = full.clone();
            bad[pos] ^= 0x10;
            assertThrows(CacheGenException.class, () -> CacheGenCodec.decode(bad), "flip at " + pos);
        }
        byte[] longer = Arrays.copyOf(full, full.length + 3);
        assertTrue(assertThrows(CacheGenException.class, () -> CacheGenCodec.decode(longer)).getMessage()
                .contains("trailing"));
        assertThrows(CacheGenException.class, () -> CacheGenCodec.decode("hello world".getBytes()));
    }

    @Test
    void badCachesAndSettingsAreRejected() {
        KvCache kv = SyntheticKvCache.generate(2, 1, 4, 4, 7);
        kv.keys()[1][0][2][3] = Float.NaN;
        assertThrows(CacheGenException.class, () -> new KvCache(kv.keys(), kv.values()));
        assertThrows(CacheGenException.class, () -> BinConfig.level(4, 2));
        assertThrows(CacheGenException.class, () -> new BinConfig(new int[] {15}, new int[] {16}));
        KvCache ok = SyntheticKvCache.generate(2, 1, 4, 4, 7);
        assertThrows(CacheGenException.class, () -> new CacheGenCodec().encode(ok, BinConfig.level(2, 3)));
    }
}
