package dev.prism.vision.gaussians;

import dev.prism.codecs.gaussian.GaussianStreamException;
import dev.prism.codecs.gaussian.V3Packer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.FrameRecorder;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_GRAY8;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

/**
 * Video step of V^3 (ALGORITHMS.md 8.2 "Hardware-codec step"): one video per image index per group.
 *
 * <p>The reference uses libx264 (yuvj444p, constant QP). Prism's default FFmpeg build is LGPL and has no libx264,
 * so: planes whose QP is 0 (the position high bytes, or every plane when QP 0 is requested) go to FFV1 in gray8,
 * which is truly lossless; the others go to libvpx-vp9 (the image in the luma plane, neutral chroma) at a constant
 * quantizer mapped from the H.264 QP scale as round(qp * 63 / 51). The QP policy itself is
 * {@link V3Packer#planeQp}. Files are Matroska: {@code plane_NN.mkv}.
 */
public final class V3VideoCodec {
    private V3VideoCodec() {
    }

    /** The VP9 quantizer used for an H.264-scale QP. */
    public static int vp9Quantizer(int qp) {
        return Math.max(0, Math.min(63, (int) Math.round(qp * 63.0 / 51.0)));
    }

    /** Encodes a sequence of side x side grayscale images as one video; returns the file size in bytes. */
    public static long writePlane(Path file, List<byte[]> images, int side, int qp) {
        boolean lossless = qp == 0;
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(file.toFile(), side, side, 0)) {
            rec.setFormat("matroska");
            rec.setFrameRate(20);
            rec.setGopSize(images.size());
            if (lossless) {
                rec.setVideoCodecName("ffv1");
                rec.setPixelFormat(AV_PIX_FMT_GRAY8);
            } else {
                int q = vp9Quantizer(qp);
                rec.setVideoCodecName("libvpx-vp9");
                rec.setPixelFormat(AV_PIX_FMT_YUV420P);
                rec.setVideoOption("qmin", Integer.toString(q));
                rec.setVideoOption("qmax", Integer.toString(q));
                rec.setVideoOption("crf", Integer.toString(q));
                rec.setVideoOption("b", "0");
                rec.setVideoOption("deadline", "realtime");
                rec.setVideoOption("cpu-used", "8");
                rec.setVideoOption("row-mt", "1");
            }
            rec.start();
            int chroma = (side / 2) * (side / 2);
            ByteBuffer buf = ByteBuffer.allocateDirect(lossless ? side * side : side * side + 2 * chroma);
            for (byte[] img : images) {
                buf.clear();
                buf.put(img);
                if (!lossless) for (int i = 0; i < 2 * chroma; i++) buf.put((byte) 128);
                buf.flip();
                rec.recordImage(side, side, Frame.DEPTH_UBYTE, 1, side, lossless ? AV_PIX_FMT_GRAY8 : AV_PIX_FMT_YUV420P, buf);
            }
            rec.stop();
        } catch (FrameRecorder.Exception e) {
            throw new GaussianStreamException("V3: could not encode " + file + " (" + e.getMessage() + ")", e);
        }
        return file.toFile().length();
    }

    /** Decodes a plane video written with the given QP-0-ness back into its grayscale images (the luma plane). */
    public static List<byte[]> readPlane(Path file, int side, int frames, boolean lossless) {
        List<byte[]> out = new ArrayList<>();
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
            // Ask for the coded pixel format so no colour conversion touches the values.
            g.setPixelFormat(lossless ? AV_PIX_FMT_GRAY8 : AV_PIX_FMT_YUV420P);
            g.start();
            Frame f;
            while ((f = g.grabImage()) != null) {
                if (f.imageWidth != side || f.imageHeight != side) {
                    throw new GaussianStreamException("V3 plane " + file + " holds " + f.imageWidth + "x" + f.imageHeight + " images, expected " + side + "x" + side);
                }
                ByteBuffer b = (ByteBuffer) f.image[0];
                byte[] img = new byte[side * side];
                for (int y = 0; y < side; y++) {
                    b.position(y * f.imageStride);
                    b.get(img, y * side, side);
                }
                out.add(img);
            }
            g.stop();
        } catch (FrameGrabber.Exception e) {
            throw new GaussianStreamException("V3: could not decode " + file + " (" + e.getMessage() + "); the file is missing or corrupt", e);
        }
        if (out.size() != frames) throw new GaussianStreamException("V3 plane " + file + " holds " + out.size() + " frames, expected " + frames);
        return out;
    }
}
