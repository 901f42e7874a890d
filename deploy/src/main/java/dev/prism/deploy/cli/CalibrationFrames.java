package dev.prism.deploy.cli;

import dev.prism.deploy.config.PrismConfig;
import dev.prism.deploy.jobs.Sources;
import dev.prism.ingest.probe.MediaProbe;
import dev.prism.ingest.segment.Segment;
import dev.prism.ingest.segment.SegmentOptions;
import dev.prism.ingest.segment.SegmentReader;
import dev.prism.ingest.segment.VideoFrame;
import dev.prism.vision.caption.Frame;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A video's segments as the vision stage sees them: cut and sampled with the decode stage's settings (the service's
 * segment options and configured limits, no audio), each segment's frames as caption frames.
 */
final class CalibrationFrames {

    /** The file decodes but holds no video stream. */
    static final class NoVideoException extends Exception {
        NoVideoException(String message) {
            super(message);
        }
    }

    interface SegmentSink {
        void accept(List<Frame> frames, double fractionOfFile);
    }

    private final SegmentOptions options;
    private final Integer framesPerSegment;

    CalibrationFrames(PrismConfig config, double segmentSeconds, double frameRate, Integer framesPerSegment) {
        this.options = SegmentOptions.defaults()
                .withSegmentSeconds(segmentSeconds)
                .withFramesPerSecond(frameRate)
                .withAudio(false)
                .withLimits(Sources.limits(config));
        this.framesPerSegment = framesPerSegment;
    }

    /** Feeds every segment that has frames to the sink until the file ends or {@code stop} says enough. */
    void read(Path file, BooleanSupplier stop, SegmentSink sink) throws NoVideoException {
        try (SegmentReader reader = SegmentReader.open(file, options)) {
            MediaProbe probe = reader.probe();
            if (probe.video().isEmpty()) {
                throw new NoVideoException("'" + file + "' has no video stream (" + probe.container() + "): give a "
                        + "video file, calibration needs frames");
            }
            double duration = probe.durationSeconds() > 0 ? probe.durationSeconds() : Double.NaN;
            Segment s;
            while (!stop.getAsBoolean() && (s = reader.next()) != null) {
                if (s.frames().isEmpty()) continue;
                double fraction = Double.isNaN(duration) ? 0 : Math.min(1, s.endSeconds() / duration);
                sink.accept(frames(s.frames()), fraction);
            }
        }
    }

    /** At most framesPerSegment frames, evenly spaced over the segment. */
    private List<Frame> frames(List<VideoFrame> decoded) {
        int n = framesPerSegment == null ? decoded.size() : Math.min(framesPerSegment, decoded.size());
        List<Frame> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            VideoFrame f = decoded.get(i * decoded.size() / n);
            out.add(new Frame(f.ptsSeconds(), f.width(), f.height(), f.rgb()));
        }
        return out;
    }
}
