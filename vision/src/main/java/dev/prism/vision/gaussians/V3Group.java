package dev.prism.vision.gaussians;

import java.util.List;

/**
 * Metadata of one V^3 group on disk (the reference's {@code group_info.json} entry plus the per-frame
 * {@code viewer_min_max.json} ranges).
 *
 * @param group      group index
 * @param firstFrame stream index of its first frame
 * @param frames     frames in the group
 * @param count      Gaussians per frame (constant in a group)
 * @param side       image side
 * @param shDegree   SH degree
 * @param requestedQp the QP asked for; per-plane QPs follow {@link dev.prism.codecs.gaussian.V3Packer#planeQp}
 * @param bytes      total bytes of the group's videos
 * @param min        per frame, per attribute column minimum
 * @param max        per frame, per attribute column maximum
 */
public record V3Group(int group, int firstFrame, int frames, int count, int side, int shDegree, int requestedQp,
                      long bytes, List<float[]> min, List<float[]> max) {

    public String directoryName() {
        return String.format("group_%04d", group);
    }

    public static String planeFile(int plane) {
        return String.format("plane_%02d.mkv", plane);
    }
}
