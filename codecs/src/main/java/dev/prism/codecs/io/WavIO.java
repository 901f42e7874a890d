package dev.prism.codecs.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * RIFF/WAVE reader for 16-bit PCM, 24-bit PCM and 32-bit float (format 1, 3 and EXTENSIBLE), any
 * channel count mixed down to mono; writer for 16-bit PCM or 32-bit float mono. Unknown chunks
 * (LIST, fact...) are skipped.
 */
public final class WavIO {
    private WavIO() {
    }

    public static PcmAudio read(Path file) throws IOException {
        return read(Files.readAllBytes(file), file.toString());
    }

    public static PcmAudio read(byte[] bytes, String name) throws WavFormatException {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 12 || b.getInt(0) != 0x46464952 || b.getInt(8) != 0x45564157) {
            throw new WavFormatException(name + " is not a RIFF/WAVE file; convert it to WAV first (e.g. with ffmpeg)");
        }
        int pos = 12;
        int format = -1;
        int channels = 0;
        int rate = 0;
        int bits = 0;
        while (pos + 8 <= bytes.length) {
            int id = b.getInt(pos);
            long size = b.getInt(pos + 4) & 0xFFFFFFFFL;
            int body = pos + 8;
            if (id == 0x20746d66) {   // "fmt "
                if (size < 16 || body + 16 > bytes.length) {
                    throw new WavFormatException(name + ": fmt chunk too short");
                }
                format = b.getShort(body) & 0xFFFF;
                channels = b.getShort(body + 2) & 0xFFFF;
                rate = b.getInt(body + 4);
                bits = b.getShort(body + 14) & 0xFFFF;
                if (format == 0xFFFE && size >= 26) {
                    format = b.getShort(body + 24) & 0xFFFF;   // sub-format GUID starts with the real tag
                }
            } else if (id == 0x61746164) {   // "data"
                if (format < 0) {
                    throw new WavFormatException(name + ": data chunk before fmt chunk");
                }
                long avail = Math.min(size, bytes.length - body);
                return decode(b, body, (int) avail, format, channels, rate, bits, name);
            }
            pos = (int) Math.min(Integer.MAX_VALUE, body + size + (size & 1));
        }
        throw new WavFormatException(name + ": no data chunk found (truncated file?)");
    }

    private static PcmAudio decode(ByteBuffer b, int off, int len, int format, int channels, int rate, int bits,
                                   String name) throws WavFormatException {
        if (channels < 1 || rate < 1) {
            throw new WavFormatException(name + ": invalid channel count " + channels + " or sample rate " + rate);
        }
        boolean pcm = format == 1 && (bits == 16 || bits == 24);
        boolean flt = format == 3 && bits == 32;
        if (!pcm && !flt) {
            throw new WavFormatException(name + ": unsupported WAV encoding (format " + format + ", " + bits
                    + " bits); use 16/24-bit PCM or 32-bit float");
        }
        int bps = bits / 8;
        int frames = len / (bps * channels);
        float[] out = new float[frames];
        for (int i = 0; i < frames; i++) {
            float sum = 0;
            for (int c = 0; c < channels; c++) {
                int p = off + (i * channels + c) * bps;
                float v;
                if (flt) {
                    v = b.getFloat(p);
                } else if (bits == 16) {
                    v = b.getShort(p) / 32768f;
                } else {
                    int x = (b.get(p) & 0xFF) | ((b.get(p + 1) & 0xFF) << 8) | (b.get(p + 2) << 16);
                    v = x / 8388608f;
                }
                sum += v;
            }
            out[i] = sum / channels;
        }
        return new PcmAudio(out, rate);
    }

    /** Writes mono 16-bit PCM (clipped) or 32-bit float. */
    public static byte[] toBytes(PcmAudio audio, boolean float32) {
        float[] s = audio.samples();
        int bps = float32 ? 4 : 2;
        ByteBuffer b = ByteBuffer.allocate(44 + s.length * bps).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x46464952).putInt(36 + s.length * bps).putInt(0x45564157);
        b.putInt(0x20746d66).putInt(16).putShort((short) (float32 ? 3 : 1)).putShort((short) 1)
                .putInt(audio.sampleRate()).putInt(audio.sampleRate() * bps).putShort((short) bps)
                .putShort((short) (bps * 8));
        b.putInt(0x61746164).putInt(s.length * bps);
        for (float v : s) {
            if (float32) {
                b.putFloat(v);
            } else {
                b.putShort((short) Math.round(Math.max(-1f, Math.min(1f, v)) * 32767f));
            }
        }
        return b.array();
    }

    public static void write(PcmAudio audio, Path file, boolean float32) throws IOException {
        Files.write(file, toBytes(audio, float32));
    }
}
