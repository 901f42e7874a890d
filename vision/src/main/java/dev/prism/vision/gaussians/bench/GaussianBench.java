package dev.prism.vision.gaussians.bench;

import dev.prism.codecs.gaussian.EncodedGaussianFrame;
import dev.prism.codecs.gaussian.GaussianFrame;
import dev.prism.codecs.gaussian.QueenConfig;
import dev.prism.codecs.gaussian.QueenDecoder;
import dev.prism.codecs.gaussian.QueenEncoder;
import dev.prism.vision.depth.ParallaxDepthEstimator;
import dev.prism.vision.gaussians.BlockLayout;
import dev.prism.vision.gaussians.GaussianBuildConfig;
import dev.prism.vision.gaussians.GaussianBuilder;
import dev.prism.vision.gaussians.GaussianFrameResult;
import dev.prism.vision.gaussians.GaussianStreamBuilder;
import dev.prism.vision.gaussians.GaussianStreamConfig;
import dev.prism.vision.gaussians.V3Group;
import dev.prism.vision.gaussians.V3GroupCodec;
import dev.prism.vision.render.ImageMetrics;
import dev.prism.vision.render.PinholeCamera;
import dev.prism.vision.render.SplatRenderer;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Gaussian stream benchmark (issue 8; ALGORITHMS.md 8.1/8.2 "Measurable proof") on the generated scene: bytes per
 * frame against render-from-source PSNR versus the input frame, for the uncompressed Gaussians (baseline), the
 * QUEEN-style residual stream and V^3 video packing at several QPs, and frames per second of construction plus
 * coding. QUEEN's published figure (0.7 MB/frame) is the reference column; the goals are <= 0.35 MB/frame,
 * >= 30 dB and >= 30 fps at 64k Gaussians.
 */
public final class GaussianBench {
    static final int WIDTH = 640, HEIGHT = 360, FRAMES = 40, RENDER_EVERY = 10, BUDGET = 65536;
    static final double QUEEN_MB = 0.7;

    private static double cpuMsPerFrame = Double.NaN;

    private GaussianBench() {
    }

    /** CPU time of the whole process (all threads, JIT and GC included). */
    private static long processCpuNs() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean s ? s.getProcessCpuTime() : 0;
    }

    public static void main(String[] args) {
        for (Map<String, Object> row : run(null, System.out)) System.out.println(row);
    }

    public static List<Map<String, Object>> run(Path assetsOrNull, PrintStream progress) {
        SyntheticScene scene = new SyntheticScene(WIDTH, HEIGHT);
        PinholeCamera cam = scene.camera();
        progress.println("gaussians bench: generating " + FRAMES + " frames of " + WIDTH + "x" + HEIGHT);
        List<SyntheticScene.Frame> frames = new ArrayList<>();
        for (int t = 0; t < FRAMES; t++) frames.add(scene.frame(t));
        SplatRenderer renderer = new SplatRenderer();
        List<Map<String, Object>> rows = new ArrayList<>();
        QueenConfig queen = QueenConfig.defaults();
        GaussianBuilder builder = new GaussianBuilder(GaussianBuildConfig.defaults().withBudget(BUDGET));

        // Construction + QUEEN-style coding, timed together; the uncompressed frames are kept for the other rows.
        progress.println("gaussians bench: construction + residual coding");
        List<GaussianFrame> built = new ArrayList<>();
        List<byte[]> records = new ArrayList<>();
        QueenEncoder enc = new QueenEncoder(queen);
        BlockLayout layout = null;
        long constructNs = 0, codeNs = 0, cpuNs = 0;
        for (int round = 0; round < 2; round++) {   // round 0 warms the JIT up
            built.clear();
            records.clear();
            enc = new QueenEncoder(queen);
            constructNs = codeNs = 0;
            long cpu0 = processCpuNs();
            for (SyntheticScene.Frame f : frames) {
                long t0 = System.nanoTime();
                if (enc.nextIsKeyframe()) layout = builder.layout(WIDTH, HEIGHT, f.rgb(), f.depth());
                GaussianFrame g = builder.build(layout, WIDTH, HEIGHT, f.rgb(), f.depth(), cam);
                long t1 = System.nanoTime();
                EncodedGaussianFrame e = enc.encode(g);
                long t2 = System.nanoTime();
                constructNs += t1 - t0;
                codeNs += t2 - t1;
                built.add(g);
                records.add(e.record());
            }
            cpuNs = processCpuNs() - cpu0;
        }
        progress.printf("gaussians bench: construction + coding %.1f ms/frame wall, %.1f ms/frame process CPU%n",
                (constructNs + codeNs) / 1e6 / FRAMES, cpuNs / 1e6 / FRAMES);
        cpuMsPerFrame = cpuNs / 1e6 / FRAMES;
        int n = built.get(0).count();
        long rawBytes = (long) n * (3 + 3 + 4 + 3 + 1) * 4;
        double[] uncompressedPsnr = psnr(built, frames, cam, renderer);
        rows.add(row("uncompressed float32", "-", n, rawBytes, rawBytes, uncompressedPsnr[0], uncompressedPsnr[0],
                FRAMES / (constructNs / 1e9), "construction only", built, built));

        QueenDecoder dec = new QueenDecoder();
        List<GaussianFrame> decoded = new ArrayList<>();
        long total = 0;
        long d0 = System.nanoTime();
        for (byte[] r : records) {
            decoded.add(dec.decode(r).copy());
            total += r.length;
        }
        long d1 = System.nanoTime();
        double[] qp = psnr(decoded, frames, cam, renderer);
        rows.add(row("queen-residual", "keyframe every " + queen.keyframeInterval() + ", gate " + queen.gateThreshold(), n,
                total / FRAMES, rawBytes, qp[0], uncompressedPsnr[0], FRAMES / ((constructNs + codeNs) / 1e9),
                String.format("construction + coding; decode %.1f fps", FRAMES / ((d1 - d0) / 1e9)), decoded, built));
        progress.printf("gaussians bench: residual stream %.3f MB/frame, %.2f dB%n", total / (double) FRAMES / 1e6, qp[0]);

        Path tmp;
        try {
            tmp = Files.createTempDirectory("prism-v3-bench");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            for (int q : new int[]{15, 22, 25, 30}) {
                progress.println("gaussians bench: V3 at QP " + q);
                Path dir = tmp.resolve("qp" + q);
                long t0 = System.nanoTime();
                List<V3Group> groups = new ArrayList<>();
                for (int s = 0; s < FRAMES; s += queen.keyframeInterval()) {
                    groups.add(V3GroupCodec.write(dir, groups.size(), s, built.subList(s, Math.min(FRAMES, s + queen.keyframeInterval())), q));
                }
                long t1 = System.nanoTime();
                List<GaussianFrame> unpacked = new ArrayList<>();
                for (V3Group g : groups) unpacked.addAll(V3GroupCodec.read(dir, g));
                long t2 = System.nanoTime();
                long bytes = groups.stream().mapToLong(V3Group::bytes).sum();
                double[] p = psnr(unpacked, frames, cam, renderer);
                rows.add(row("v3-video", "QP " + q + " (VP9 q " + dev.prism.vision.gaussians.V3VideoCodec.vp9Quantizer(q) + ", FFV1 for QP 0 planes)", n,
                        bytes / FRAMES, rawBytes, p[0], uncompressedPsnr[0], FRAMES / ((constructNs + (t1 - t0)) / 1e9),
                        String.format("construction + packing + video encode; decode %.1f fps", FRAMES / ((t2 - t1) / 1e9)), unpacked, built));
            }
        } finally {
            deleteTree(tmp);
        }

        progress.println("gaussians bench: generated clip with a sliding camera, decoded by ingest, builtin-parallax depth");
        rows.add(clipRow(tmpRoot()));
        return rows;
    }

    private static Path tmpRoot() {
        try {
            return Files.createTempDirectory("prism-gaussian-clip");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The whole path of a real upload: encoded clip -> ingest decode -> parallax depth -> Gaussians -> residual stream. */
    private static Map<String, Object> clipRow(Path dir) {
        try {
            SyntheticScene moving = new SyntheticScene(WIDTH, HEIGHT, 0.02);
            List<SyntheticScene.Frame> src = new ArrayList<>();
            for (int t = 0; t < FRAMES; t++) src.add(moving.frame(t));
            Path clip = dir.resolve("clip.mkv");
            GeneratedClip.write(clip, src, 20);
            List<dev.prism.ingest.segment.VideoFrame> decodedFrames = GeneratedClip.decode(clip);
            GaussianStreamConfig sc = GaussianStreamConfig.defaults().withBuild(GaussianBuildConfig.defaults().withBudget(BUDGET))
                    .withPsnrEvery(RENDER_EVERY);
            try (GaussianStreamBuilder sb = new GaussianStreamBuilder(sc, new ParallaxDepthEstimator())) {
                long bytes = 0;
                double psnr = 0;
                int measured = 0, n = 0;
                long t0 = System.nanoTime();
                for (dev.prism.ingest.segment.VideoFrame f : decodedFrames) {
                    GaussianFrameResult r = sb.addFrame(f.width(), f.height(), f.rgb(), Math.round(f.ptsSeconds() * 1e6));
                    bytes += r.bytes();
                    n = r.gaussians();
                    if (!Double.isNaN(r.psnr())) {
                        psnr += r.psnr();
                        measured++;
                    }
                }
                long t1 = System.nanoTime();
                int frames = decodedFrames.size();
                long raw = (long) n * (3 + 3 + 4 + 3 + 1) * 4;
                return row("queen-residual + builtin-parallax depth", "generated clip (sliding camera, MPEG-4) decoded by ingest, "
                        + frames + " frames", n, bytes / Math.max(1, frames), raw, psnr / Math.max(1, measured), Double.NaN,
                        frames / ((t1 - t0) / 1e9), "depth + construction + coding + PSNR renders", null, null);
            }
        } finally {
            deleteTree(dir);
        }
    }

    private static Map<String, Object> row(String method, String setting, int gaussians, long bytesPerFrame, long rawBytes,
                                           double psnr, double uncompressedPsnr, double fps, String fpsCovers,
                                           List<GaussianFrame> coded, List<GaussianFrame> reference) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scene", "generated " + WIDTH + "x" + HEIGHT + ", moving sphere, " + FRAMES + " frames");
        m.put("method", method);
        m.put("setting", setting);
        m.put("gaussians", gaussians);
        m.put("bytesPerFrame", bytesPerFrame);
        m.put("mbPerFrame", round(bytesPerFrame / 1e6, 4));
        m.put("baselineRawBytesPerFrame", rawBytes);
        m.put("ratioVsRaw", round((double) rawBytes / bytesPerFrame, 2));
        m.put("queenReferenceMbPerFrame", QUEEN_MB);
        m.put("ratioVsQueen", round(bytesPerFrame / 1e6 / QUEEN_MB, 3));
        m.put("positionRmse", coded == null ? Double.NaN : round(rmse(coded, reference, true), 6));
        m.put("colorDcRmse", coded == null ? Double.NaN : round(rmse(coded, reference, false), 5));
        m.put("psnrVsInputDb", round(psnr, 2));
        m.put("uncompressedPsnrDb", round(uncompressedPsnr, 2));
        m.put("fps", round(fps, 1));
        m.put("fpsCovers", fpsCovers);
        m.put("residualPathCpuMsPerFrame", round(cpuMsPerFrame, 1));
        m.put("loadAverage", round(java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), 1));
        m.put("meetsSizeAndPsnrGoals", bytesPerFrame <= 350_000 && psnr >= 30);
        m.put("meetsFpsGoal", fps >= 30);
        return m;
    }

    private static double round(double v, int digits) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return v;
        double s = Math.pow(10, digits);
        return Math.round(v * s) / s;
    }

    /** RMSE of positions (or SH DC colours) against the uncompressed Gaussians, over all frames. */
    private static double rmse(List<GaussianFrame> coded, List<GaussianFrame> ref, boolean positions) {
        double s = 0;
        long k = 0;
        for (int t = 0; t < coded.size(); t++) {
            float[] a = positions ? coded.get(t).positions() : coded.get(t).colors();
            float[] b = positions ? ref.get(t).positions() : ref.get(t).colors();
            for (int j = 0; j < a.length; j++) {
                double d = a[j] - b[j];
                s += d * d;
            }
            k += a.length;
        }
        return Math.sqrt(s / Math.max(1, k));
    }

    /** Mean render-from-source PSNR over every RENDER_EVERY-th frame. */
    private static double[] psnr(List<GaussianFrame> gs, List<SyntheticScene.Frame> frames, PinholeCamera cam, SplatRenderer r) {
        double s = 0;
        int k = 0;
        for (int t = 0; t < gs.size(); t += RENDER_EVERY) {
            s += ImageMetrics.psnr(r.render(gs.get(t), cam), frames.get(t).rgb());
            k++;
        }
        return new double[]{s / k};
    }

    private static void deleteTree(Path p) {
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
        } catch (IOException ignored) {
            // A temp directory left behind is harmless.
        }
    }
}
