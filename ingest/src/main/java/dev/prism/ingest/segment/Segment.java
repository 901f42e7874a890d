package dev.prism.ingest.segment;

import java.util.List;

/**
 * One time slice of the media: [{@code startSeconds}, {@code endSeconds}).
 *
 * @param index 0-based position
 * @param startSeconds start, from the start of the media
 * @param endSeconds end (the last segment ends where the media ends)
 * @param frames sampled frames whose time falls in the slice, in time order
 * @param pcm16k mono float audio at 16 kHz covering the slice (empty without audio)
 * @param pcm24k mono float audio at 24 kHz covering the slice (empty without audio)
 * @param warnings problems found while producing this slice (gaps, undecodable packets)
 */
public record Segment(int index, double startSeconds, double endSeconds, List<VideoFrame> frames,
    float[] pcm16k, float[] pcm24k, List<String> warnings) {

  public Segment {
    frames = List.copyOf(frames);
    warnings = List.copyOf(warnings);
  }
}
