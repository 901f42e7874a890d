package dev.prism.streaming.events;

/** One encoded frame of the job's 3D Gaussian stream (keyframe or residual), bytes as payload. */
public record GaussianFrame(String jobId, int frame, double pts, boolean keyframe, boolean last,
                            int gaussians, byte[] payload) implements PrismEvent, Payload {
}
