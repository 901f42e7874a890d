package dev.prism.audio.io;

import dev.prism.audio.AudioException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a RIFF/WAVE file holding 16-bit PCM (or 32-bit float) mono at 16 kHz into floats in [-1, 1].
 * Other rates and channel counts are refused: resampling belongs to the decode stage (ingest).
 */
public final class WavReader {
    public static final int SAMPLE_RATE = 16_000;

    private WavReader() {
    }

    public static float[] read16kMono(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new AudioException("Cannot read WAV file " + file + ": " + e.getMessage(), e);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 12 || b.getInt(0) != 0x46464952 || b.getInt(8) != 0x45564157) {
            throw new AudioException("Not a RIFF/WAVE file: " + file + "; convert it to 16 kHz mono WAV first");
        }
        int pos = 12;
        int format = -1;
        int channels = 0;
        int rate = 0;
        int bits = 0;
        while (pos + 8 <= bytes.length) {
            int id = b.getInt(pos);
            int size = b.getInt(pos + 4);
            int body = pos + 8;
            if (id == 0x20746d66) { // "fmt "
                format = b.getShort(body) & 0xffff;
                channels = b.getShort(body + 2);
                rate = b.getInt(body + 4);
                bits = b.getShort(body + 14);
                if (format == 0xFFFE && size >= 26) {
                    format = b.getShort(body + 24) & 0xffff; // WAVE_FORMAT_EXTENSIBLE: sub-format GUID starts with the tag
                }
            } else if (id == 0x61746164) { // "data"
                if (format < 0) {
                    throw new AudioException("WAV file " + file + " has its data chunk before the fmt chunk");
                }
                if (channels != 1 || rate != SAMPLE_RATE) {
                    throw new AudioException("WAV file " + file + " is " + rate + " Hz with " + channels
                            + " channel(s); Prism's audio library needs 16000 Hz mono (resample it first)");
                }
                int len = Math.min(size < 0 ? Integer.MAX_VALUE : size, bytes.length - body);
                return decode(b, body, len, format, bits, file);
            }
            pos = body + size + (size & 1);
        }
        throw new AudioException("WAV file " + file + " has no data chunk");
    }

    private static float[] decode(ByteBuffer b, int off, int len, int format, int bits, Path file) {
        if (format == 1 && bits == 16) {
            float[] out = new float[len / 2];
            for (int i = 0; i < out.length; i++) {
                out[i] = b.getShort(off + 2 * i) / 32768f;
            }
            return out;
        }
        if (format == 3 && bits == 32) {
            float[] out = new float[len / 4];
            for (int i = 0; i < out.length; i++) {
                out[i] = b.getFloat(off + 4 * i);
            }
            return out;
        }
        throw new AudioException("WAV file " + file + " uses format " + format + " with " + bits
                + " bits; only 16-bit PCM and 32-bit float are read");
    }
}
