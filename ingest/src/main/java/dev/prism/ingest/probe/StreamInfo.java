package dev.prism.ingest.probe;

/**
 * One stream of a probed input. Video fields are 0/NaN for audio and the reverse.
 *
 * @param index stream index in the container
 * @param type what the stream is; an attached picture (album art) is {@link Type#COVER_ART}, not video
 * @param codec FFmpeg codec name (h264, aac, ...; "none" when unknown)
 * @param decodable whether this FFmpeg build has a decoder for it
 * @param durationSeconds stream duration, NaN when unknown
 * @param width coded width in pixels
 * @param height coded height in pixels
 * @param frameRate average frames per second, NaN when unknown
 * @param variableFrameRate true when the frame intervals seen while probing differ
 * @param rotationDegrees clockwise rotation to apply for display: 0, 90, 180 or 270
 * @param sampleRate audio samples per second
 * @param channels audio channels
 * @param language the stream's language tag, empty when absent
 */
public record StreamInfo(int index, Type type, String codec, boolean decodable, double durationSeconds,
    int width, int height, double frameRate, boolean variableFrameRate, int rotationDegrees,
    int sampleRate, int channels, String language) {

  /** Stream kinds. */
  public enum Type { VIDEO, AUDIO, SUBTITLE, DATA, ATTACHMENT, COVER_ART, UNKNOWN }

  /** Width after rotation, as displayed. */
  public int displayWidth() {
    return rotationDegrees % 180 == 0 ? width : height;
  }

  /** Height after rotation, as displayed. */
  public int displayHeight() {
    return rotationDegrees % 180 == 0 ? height : width;
  }
}
