package dev.prism.deploy.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/**
 * Writes a short MP4 (MPEG-4 video of a moving, colour-changing square over a gradient, AAC audio) for the
 * demo and the tests. The audio is real read speech when a 16 kHz WAV is given, otherwise a tone sweep.
 */
public final class SampleClip {

    private SampleClip() {
    }

    public static Path write(Path file, double seconds, int width, int height, double fps, Path speechWav) throws IOException {
        int rate = 16000;
        float[] audio = speechWav != null && Files.isRegularFile(speechWav) ? readWav(speechWav) : null;
        int samples = (int) Math.round(seconds * rate);
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(file.toFile(), width, height, 1)) {
            rec.setFormat("mp4");
            rec.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
            rec.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            rec.setFrameRate(fps);
            rec.setGopSize((int) Math.max(1, Math.round(fps)));
            rec.setVideoQuality(4);
            rec.setAudioCodec(avcodec.AV_CODEC_ID_AAC);
            rec.setSampleRate(rate);
            rec.setAudioChannels(1);
            rec.setAudioBitrate(64000);
            rec.start();
            Frame frame = new Frame(width, height, Frame.DEPTH_UBYTE, 3);
            int frames = (int) Math.round(seconds * fps);
            int chunk = rate / 10;
            int written = 0;
            for (int i = 0; i < frames; i++) {
                paint((ByteBuffer) frame.image[0], frame.imageStride, width, height, i, fps);
                rec.record(frame, avutil.AV_PIX_FMT_BGR24);
                int until = (int) Math.min(samples, Math.round((i + 1) / fps * rate));
                while (written < until) {
                    int n = Math.min(chunk, until - written);
                    float[] pcm = new float[n];
                    for (int k = 0; k < n; k++) {
                        int t = written + k;
                        pcm[k] = audio != null ? (t < audio.length ? audio[t] : 0f)
                                : (float) (0.3 * Math.sin(2 * Math.PI * (220 + 220.0 * t / samples) * t / rate));
                    }
                    rec.recordSamples(rate, 1, FloatBuffer.wrap(pcm));
                    written += n;
                }
            }
            rec.stop();
        }
        return file;
    }

    private static void paint(ByteBuffer buf, int stride, int w, int h, int i, double fps) {
        double t = i / fps;
        int size = Math.max(4, Math.min(w, h) / 4);
        int cx = (int) ((w - size) * (0.5 + 0.45 * Math.sin(t * 1.3)));
        int cy = (int) ((h - size) * (0.5 + 0.45 * Math.cos(t * 0.9)));
        byte r = (byte) (127 + 120 * Math.sin(t));
        byte g = (byte) (127 + 120 * Math.sin(t + 2));
        byte b = (byte) (127 + 120 * Math.sin(t + 4));
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int o = y * stride + x * 3;
                boolean in = x >= cx && x < cx + size && y >= cy && y < cy + size;
                buf.put(o, in ? b : (byte) (x * 255 / w));
                buf.put(o + 1, in ? g : (byte) (y * 255 / h));
                buf.put(o + 2, in ? r : (byte) 60);
            }
        }
    }

    /** 16-bit PCM WAV to mono float at the file's own rate (the demo's speech clips are 16 kHz). */
    static float[] readWav(Path wav) throws IOException {
        try (AudioInputStream in = AudioSystem.getAudioInputStream(wav.toFile())) {
            AudioFormat f = in.getFormat();
            if (f.getSampleSizeInBits() != 16 || f.getEncoding() != AudioFormat.Encoding.PCM_SIGNED) {
                throw new IOException(wav + ": only 16-bit PCM WAV is supported for the demo clip's audio");
            }
            byte[] bytes = in.readAllBytes();
            int ch = f.getChannels();
            float[] out = new float[bytes.length / 2 / ch];
            ByteBuffer bb = ByteBuffer.wrap(bytes).order(f.isBigEndian() ? java.nio.ByteOrder.BIG_ENDIAN : java.nio.ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < out.length; i++) out[i] = bb.getShort(i * 2 * ch) / 32768f;
            return out;
        } catch (javax.sound.sampled.UnsupportedAudioFileException e) {
            throw new IOException(wav + " is not a WAV file Java can read: " + e.getMessage(), e);
        }
    }
}
