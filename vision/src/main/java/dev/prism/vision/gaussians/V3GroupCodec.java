package dev.prism.vision.gaussians;

import dev.prism.codecs.gaussian.GaussianFrame;
import dev.prism.codecs.gaussian.GaussianStreamException;
import dev.prism.codecs.gaussian.V3PackedFrame;
import dev.prism.codecs.gaussian.V3Packer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * V^3 packing of a group of frames into one video per image index, and back (ALGORITHMS.md 8.2): the frames of
 * a group must share their Gaussian count and order; each is packed by {@link V3Packer}, and plane p of every frame
 * becomes frame t of {@code group_NNNN/plane_pp.mkv} at QP {@link V3Packer#planeQp}(p, requested).
 */
public final class V3GroupCodec {
    private V3GroupCodec() {
    }

    public static V3Group write(Path root, int group, int firstFrame, List<GaussianFrame> frames, int requestedQp) {
        if (frames.isEmpty()) throw new IllegalArgumentException("a V3 group needs at least one frame");
        if (requestedQp < 0 || requestedQp > 51) throw new IllegalArgumentException("QP must be in 0..51 (H.264 scale), got " + requestedQp);
        int n = frames.get(0).count(), sh = frames.get(0).shDegree();
        for (GaussianFrame f : frames) {
            if (f.count() != n || f.shDegree() != sh) {
                throw new IllegalArgumentException("V3 group " + group + " mixes Gaussian counts " + n + " and " + f.count()
                        + "; a group must keep a constant count and order (start a new group at each keyframe)");
            }
        }
        List<V3PackedFrame> packed = frames.stream().map(V3Packer::pack).toList();
        int side = packed.get(0).side();
        Path dir = root.resolve(String.format("group_%04d", group));
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create V3 group directory " + dir, e);
        }
        AtomicLong bytes = new AtomicLong();
        IntStream.range(0, V3Packer.planeCount(sh)).parallel().forEach(p -> {
            List<byte[]> images = new ArrayList<>(packed.size());
            for (V3PackedFrame f : packed) images.add(f.planes()[p]);
            bytes.addAndGet(V3VideoCodec.writePlane(dir.resolve(V3Group.planeFile(p)), images, side, V3Packer.planeQp(p, requestedQp)));
        });
        return new V3Group(group, firstFrame, frames.size(), n, side, sh, requestedQp, bytes.get(),
                packed.stream().map(V3PackedFrame::min).toList(), packed.stream().map(V3PackedFrame::max).toList());
    }

    /** The packed images of a group as decoded from its videos. */
    public static List<V3PackedFrame> readPacked(Path root, V3Group g) {
        Path dir = root.resolve(g.directoryName());
        int planes = V3Packer.planeCount(g.shDegree());
        byte[][][] byPlane = new byte[planes][][];
        IntStream.range(0, planes).parallel().forEach(p -> byPlane[p] = V3VideoCodec.readPlane(dir.resolve(V3Group.planeFile(p)),
                g.side(), g.frames(), V3Packer.planeQp(p, g.requestedQp()) == 0).toArray(new byte[0][]));
        if (g.min().size() != g.frames() || g.max().size() != g.frames()) {
            throw new GaussianStreamException("V3 group " + g.group() + " metadata has " + g.min().size() + " min/max entries for " + g.frames() + " frames");
        }
        List<V3PackedFrame> out = new ArrayList<>();
        for (int t = 0; t < g.frames(); t++) {
            byte[][] pl = new byte[planes][];
            for (int p = 0; p < planes; p++) pl[p] = byPlane[p][t];
            out.add(new V3PackedFrame(g.side(), g.count(), g.shDegree(), pl, g.min().get(t), g.max().get(t)));
        }
        return out;
    }

    /** The Gaussians of a group unpacked from its videos. */
    public static List<GaussianFrame> read(Path root, V3Group g) {
        return readPacked(root, g).stream().map(V3Packer::unpack).toList();
    }
}
