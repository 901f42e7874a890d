package dev.prism.streaming.events;

import java.util.List;

/** One segment's sampled video frames (RGB, stored in the media store), with exact timestamps. */
public record FrameBatch(String jobId, int segment, double start, double end, boolean last,
                         List<Frame> frames, JobRequest job) implements PrismEvent {

    public record Frame(double pts, int width, int height, String rgbRef) {
    }

    public FrameBatch {
        frames = frames == null ? List.of() : List.copyOf(frames);
    }
}
