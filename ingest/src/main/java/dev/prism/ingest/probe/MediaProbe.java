package dev.prism.ingest.probe;

import java.util.List;
import java.util.Optional;

/**
 * What an input contains.
 *
 * @param input display name of the input
 * @param container FFmpeg demuxer name (for example "mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm")
 * @param durationSeconds container duration, NaN when unknown (live or damaged)
 * @param startSeconds the container's start time, where media time 0 lies on the streams' clocks
 *     (MPEG-TS typically starts near 1.4 s); 0 when unknown. Every decoder of one input measures
 *     from it, so video and audio line up whatever demuxer instance read them.
 * @param sizeBytes input size, -1 when unknown
 * @param bitRate overall bit rate in bits/s, 0 when unknown
 * @param streams every stream in container order
 * @param warnings non-fatal findings (undecodable extra streams, missing duration)
 */
public record MediaProbe(String input, String container, double durationSeconds, double startSeconds, long sizeBytes,
    long bitRate, List<StreamInfo> streams, List<String> warnings) {

  public MediaProbe {
    streams = List.copyOf(streams);
    warnings = List.copyOf(warnings);
  }

  /** The main video stream (decodable, not cover art), if any. */
  public Optional<StreamInfo> video() {
    return first(StreamInfo.Type.VIDEO);
  }

  /** The main audio stream (decodable), if any. */
  public Optional<StreamInfo> audio() {
    return first(StreamInfo.Type.AUDIO);
  }

  public boolean hasCoverArt() {
    return streams.stream().anyMatch(s -> s.type() == StreamInfo.Type.COVER_ART);
  }

  private Optional<StreamInfo> first(StreamInfo.Type t) {
    Optional<StreamInfo> dec = streams.stream().filter(s -> s.type() == t && s.decodable()).findFirst();
    return dec.isPresent() ? dec : streams.stream().filter(s -> s.type() == t).findFirst();
  }
}
