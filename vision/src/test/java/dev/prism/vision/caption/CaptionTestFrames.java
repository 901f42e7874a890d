package dev.prism.vision.caption;

import java.util.ArrayList;
import java.util.List;

/** Generated segment frames: flat colour blocks (redundant inside 3x3 windows) and a bright square that moves. */
final class CaptionTestFrames {
    private CaptionTestFrames() {
    }

    static List<Frame> segment(int frames, int size, int squareStep) {
        List<Frame> out = new ArrayList<>();
        for (int f = 0; f < frames; f++) {
            out.add(new Frame(f * 0.5, size, size, frame(size, f * squareStep)));
        }
        return out;
    }

    static byte[] frame(int size, int squareX) {
        byte[] rgb = new byte[size * size * 3];
        int block = size / 2;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int q = (y / block) * 2 + x / block;
                int[] c = {40 + 50 * q, 200 - 40 * q, 90 + 20 * (q % 2)};
                boolean square = x >= squareX && x < squareX + size / 4 && y >= size / 3 && y < size / 3 + size / 4;
                for (int ch = 0; ch < 3; ch++) {
                    rgb[(y * size + x) * 3 + ch] = (byte) (square ? 250 : c[ch]);
                }
            }
        }
        return rgb;
    }
}
