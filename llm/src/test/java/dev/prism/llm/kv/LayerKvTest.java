package dev.prism.llm.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

class LayerKvTest {
    /** A cache with 2 heads, headDim 2; entry i of head h has key (h, i) and value (i, -h). */
    static LayerKv filled(int n) {
        LayerKv kv = new LayerKv(2, 2);
        float[] k = new float[2 * n * 2];
        float[] v = new float[2 * n * 2];
        long[] pos = new long[n];
        for (int h = 0; h < 2; h++) {
            for (int i = 0; i < n; i++) {
                k[(h * n + i) * 2] = h;
                k[(h * n + i) * 2 + 1] = i;
                v[(h * n + i) * 2] = i;
                v[(h * n + i) * 2 + 1] = -h;
                pos[i] = 100 + i;
            }
        }
        kv.append(FloatBuffer.wrap(k), FloatBuffer.wrap(v), n, pos);
        return kv;
    }

    @Test
    void dropAndGatherKeepOrderPositionsAndPerHeadLengths() {
        LayerKv kv = filled(40);
        assertEquals(48, kv.capacity(), "capacity grows in chunks of 16");
        kv.drop(0, new int[] {0, 5, 39});
        kv.gather(1, new int[] {3, 7});
        assertEquals(37, kv.length(0));
        assertEquals(2, kv.length(1));
        assertArrayEquals(new float[] {0, 1}, kv.key(0, 0));
        assertArrayEquals(new float[] {0, 6}, kv.key(0, 4));
        assertEquals(106, kv.position(0, 4), "entries keep the RoPE position they were encoded at");
        assertArrayEquals(new float[] {1, 7}, kv.key(1, 1));
        assertEquals(107, kv.position(1, 1));
        assertEquals((37 + 2) * 2 * 2 * 4, kv.bytes());
        kv.compact();
        assertEquals(48, kv.capacity());
        kv.drop(0, new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22});
        kv.compact();
        assertEquals(16, kv.capacity());
        assertArrayEquals(new float[] {0, 25}, kv.key(0, 0), "contents survive reallocation");
        assertThrows(IndexOutOfBoundsException.class, () -> kv.drop(1, new int[] {2}));
    }

    @Test
    void mergeAveragesAnchorWithMembersAndRemovesMembers() {
        LayerKv kv = filled(6);
        kv.merge(new int[] {1, 4}, new int[][] {{0, 2}, {5}});
        assertEquals(3, kv.length(0));
        assertArrayEquals(new float[] {0, 1}, kv.key(0, 0), "mean of keys (0,0),(0,1),(0,2)");
        assertArrayEquals(new float[] {1, 0}, kv.value(0, 0));
        assertArrayEquals(new float[] {0, 3}, kv.key(0, 1), "entry 3 untouched");
        assertArrayEquals(new float[] {0, 4.5f}, kv.key(0, 2));
        assertArrayEquals(new long[] {101, 103, 104}, kv.positions(0), "anchors keep their positions");
        kv.replace(1, 0, new float[] {9, 9}, new float[] {8, 8});
        assertArrayEquals(new float[] {9, 9}, kv.key(1, 0));
    }

    @Test
    void maskHidesPaddingDroppedEntriesAndTheFuture() {
        LayerKv kv = filled(3);
        kv.drop(1, new int[] {0});
        float[] m = kv.mask(2);
        int cols = kv.capacity() + 2;
        assertEquals(0f, m[2]);
        assertEquals(-1e9f, m[3], "head 0 padding");
        assertEquals(0f, m[kv.capacity()], "first new token sees itself");
        assertEquals(-1e9f, m[kv.capacity() + 1], "but not the next one");
        assertEquals(0f, m[cols + kv.capacity() + 1], "second new token sees both");
        int head1 = 2 * cols;
        assertEquals(0f, m[head1 + 1]);
        assertEquals(-1e9f, m[head1 + 2], "head 1 holds only two entries after the drop");
    }
}
