package dev.prism.vision.depth;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Size;

import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.magnitude;
import static org.bytedeco.opencv.global.opencv_core.split;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_RGB2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_video.calcOpticalFlowFarneback;

/**
 * The weight-free depth estimate, labelled {@value #NAME} in every output: dense optical flow (OpenCV Farneback)
 * between consecutive frames, whose magnitude is motion parallax. For a translating camera over a static scene,
 * image motion is proportional to inverse depth, so the smoothed flow magnitude is a relative inverse depth.
 * Assumptions (parameters, not facts about the video): the camera translates; objects that move on their own look
 * nearer; rotation-only motion gives no depth. Where the frame pair shows almost no motion the previous estimate is
 * kept, and frames are blended over time with {@code temporalWeight}. The first frame has no pair: its estimate is
 * a flat plane (all values equal), and says so through {@link #isPrior()}.
 */
public final class ParallaxDepthEstimator implements DepthEstimator {
    public static final String NAME = "builtin-parallax";

    private final int workingSide;
    private final double blurSigma;
    private final double temporalWeight;
    private final double minMotionPx;
    private Mat previousGray;
    private float[] previousEstimate;
    private boolean prior = true;

    /**
     * @param workingSide    flow is computed on frames scaled so the longer side is at most this
     * @param blurSigma      Gaussian smoothing of the parallax, in working pixels
     * @param temporalWeight weight of the new frame pair in the running estimate (1 = no temporal smoothing)
     * @param minMotionPx    mean flow (working pixels) below which a pair carries no usable parallax
     */
    public ParallaxDepthEstimator(int workingSide, double blurSigma, double temporalWeight, double minMotionPx) {
        if (workingSide < 16 || !(blurSigma >= 0) || !(temporalWeight > 0 && temporalWeight <= 1) || !(minMotionPx >= 0)) {
            throw new IllegalArgumentException("parallax estimator: need workingSide >= 16, blurSigma >= 0, 0 < temporalWeight <= 1, minMotionPx >= 0");
        }
        this.workingSide = workingSide;
        this.blurSigma = blurSigma;
        this.temporalWeight = temporalWeight;
        this.minMotionPx = minMotionPx;
    }

    public ParallaxDepthEstimator() {
        this(320, 3.0, 0.5, 0.05);
    }

    @Override
    public String name() {
        return NAME;
    }

    /** True while no frame pair with motion has been seen (the estimate is the flat prior). */
    public boolean isPrior() {
        return prior;
    }

    @Override
    public DepthMap estimate(int width, int height, byte[] rgb) {
        if (width <= 0 || height <= 0 || rgb == null || rgb.length != width * height * 3) {
            throw new IllegalArgumentException("RGB frame " + width + "x" + height + " needs " + width * height * 3 + " bytes");
        }
        double s = Math.min(1.0, (double) workingSide / Math.max(width, height));
        int ww = Math.max(8, (int) Math.round(width * s)), wh = Math.max(8, (int) Math.round(height * s));
        Mat gray = new Mat();
        try (BytePointer data = new BytePointer(rgb); Mat rgbMat = new Mat(height, width, CV_8UC3, data); Mat full = new Mat()) {
            cvtColor(rgbMat, full, COLOR_RGB2GRAY);
            resize(full, gray, new Size(ww, wh), 0, 0, INTER_AREA);
        }
        if (previousGray != null && (previousGray.cols() != ww || previousGray.rows() != wh)) reset();
        float[] parallax = null;
        if (previousGray != null) parallax = flowMagnitude(previousGray, gray);
        if (previousGray != null) previousGray.close();
        previousGray = gray;
        if (parallax != null) {
            double mean = 0;
            for (float v : parallax) mean += v;
            mean /= parallax.length;
            if (mean >= minMotionPx) {
                if (previousEstimate == null || prior) {
                    previousEstimate = parallax;
                } else {
                    for (int i = 0; i < parallax.length; i++) {
                        previousEstimate[i] = (float) (temporalWeight * parallax[i] + (1 - temporalWeight) * previousEstimate[i]);
                    }
                }
                prior = false;
            }
        }
        if (previousEstimate == null) {
            previousEstimate = new float[ww * wh];
            java.util.Arrays.fill(previousEstimate, 1f);
        }
        return new DepthMap(width, height, upscale(previousEstimate, ww, wh, width, height), DepthMap.Kind.RELATIVE_INVERSE_DEPTH,
                prior ? NAME + " (flat prior: no motion seen yet)" : NAME);
    }

    private float[] flowMagnitude(Mat prev, Mat next) {
        try (Mat flow = new Mat(); MatVector xy = new MatVector(); Mat mag = new Mat()) {
            calcOpticalFlowFarneback(prev, next, flow, 0.5, 3, 15, 3, 5, 1.2, 0);
            split(flow, xy);
            magnitude(xy.get(0), xy.get(1), mag);
            if (blurSigma > 0) GaussianBlur(mag, mag, new Size(0, 0), blurSigma);
            float[] out = new float[mag.rows() * mag.cols()];
            new FloatPointer(mag.data()).get(out);
            return out;
        }
    }

    private static float[] upscale(float[] src, int sw, int sh, int w, int h) {
        if (sw == w && sh == h) return src.clone();
        try (FloatPointer p = new FloatPointer(src); Mat small = new Mat(sh, sw, CV_32FC1, p); Mat big = new Mat()) {
            resize(small, big, new Size(w, h), 0, 0, INTER_LINEAR);
            float[] out = new float[w * h];
            new FloatPointer(big.data()).get(out);
            return out;
        }
    }

    /** Forgets the previous frame (after a cut or a size change). */
    public void reset() {
        if (previousGray != null) previousGray.close();
        previousGray = null;
        previousEstimate = null;
        prior = true;
    }

    @Override
    public void close() {
        reset();
    }
}
