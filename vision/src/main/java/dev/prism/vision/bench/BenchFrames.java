package dev.prism.vision.bench;

import dev.prism.vision.caption.Frame;
import java.util.ArrayList;
import java.util.List;

/**
 * A generated segment: a static scene of flat colour blocks with a light gradient (what the temporal filter should
 * drop after the first frame) and two objects moving in different directions (what it must keep).
 */
final class BenchFrames {
    private BenchFrames() {
    }

    static List<Frame> segment(int frames, int size) {
        return segment(frames, size, 0);
    }

    /** variant > 0 gives another scene (other colours, other object paths). */
    static List<Frame> segment(int frames, int size, int variant) {
        List<Frame> out = new ArrayList<>();
        for (int f = 0; f < frames; f++) {
            out.add(new Frame(f / 2.0, size, size, frame(size, f + 3 * variant, variant)));
        }
        return out;
    }

    static byte[] frame(int size, int f, int variant) {
        byte[] rgb = new byte[size * size * 3];
        int block = Math.max(1, size / 6);
        int obj = Math.max(2, size / 6);
        int ax = (f * size / 16) % (size - obj);
        int ay = size / 5;
        int bx = size / 2;
        int by = (size / 2 + f * size / 20) % (size - obj);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int q = (y / block) * 7 + x / block + 5 * variant;
                int r = 30 + (q * 37) % 180 + x * 20 / size;
                int g = 60 + (q * 53) % 150 + y * 20 / size;
                int b = 40 + (q * 71) % 160;
                if (x >= ax && x < ax + obj && y >= ay && y < ay + obj) {
                    r = 250;
                    g = 240;
                    b = 30;
                } else if (x >= bx && x < bx + obj && y >= by && y < by + obj) {
                    r = 20;
                    g = 30;
                    b = 230;
                }
                int i = (y * size + x) * 3;
                rgb[i] = (byte) r;
                rgb[i + 1] = (byte) g;
                rgb[i + 2] = (byte) b;
            }
        }
        return rgb;
    }
}
