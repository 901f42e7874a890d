package dev.prism.vision.gaussians.bench;

import dev.prism.ingest.segment.Segment;
import dev.prism.ingest.segment.SegmentOptions;
import dev.prism.ingest.segment.SegmentReader;
import dev.prism.ingest.segment.VideoFrame;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameRecorder;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

/**
 * A video clip of the generated scene with a sliding camera, written with FFmpeg (MPEG-4 Part 2, near-lossless
 * quantizer) and decoded back through the ingest stage's {@link SegmentReader}: the same path a real upload takes.
 */
final class GeneratedClip {
    private GeneratedClip() {
    }

    static void write(Path file, List<SyntheticScene.Frame> frames, double fps) {
        SyntheticScene.Frame first = frames.get(0);
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(file.toFile(), first.width(), first.height(), 0)) {
            rec.setFormat("matroska");
            rec.setVideoCodecName("mpeg4");
            rec.setPixelFormat(AV_PIX_FMT_YUV420P);
            rec.setFrameRate(fps);
            rec.setVideoQuality(2);
            rec.start();
            ByteBuffer buf = ByteBuffer.allocateDirect(first.width() * first.height() * 3);
            for (SyntheticScene.Frame f : frames) {
                buf.clear();
                buf.put(f.rgb()).flip();
                rec.recordImage(f.width(), f.height(), Frame.DEPTH_UBYTE, 3, f.width() * 3, AV_PIX_FMT_RGB24, buf);
            }
            rec.stop();
        } catch (FrameRecorder.Exception e) {
            throw new IllegalStateException("could not write the generated clip " + file + ": " + e.getMessage(), e);
        }
    }

    /** Every frame of the clip at native size, as the ingest stage decodes it. */
    static List<VideoFrame> decode(Path file) {
        List<VideoFrame> out = new ArrayList<>();
        SegmentOptions o = SegmentOptions.defaults().withFramesPerSecond(Double.POSITIVE_INFINITY).withShorterSide(0).withAudio(false);
        try (SegmentReader r = SegmentReader.open(file, o)) {
            for (Segment s : r) out.addAll(s.frames());
        }
        return out;
    }
}
