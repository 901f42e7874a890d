package dev.prism.ingest.source;

/** Container families recognised by {@link MediaSniffer}, with a typical extension and MIME type. */
public enum ContainerType {
  MP4("mp4", "video/mp4"),
  MOV("mov", "video/quicktime"),
  M4A("m4a", "audio/mp4"),
  MATROSKA("mkv", "video/x-matroska"),
  WEBM("webm", "video/webm"),
  AVI("avi", "video/x-msvideo"),
  WAV("wav", "audio/wav"),
  MPEG_TS("ts", "video/mp2t"),
  MPEG_PS("mpg", "video/mpeg"),
  MP3("mp3", "audio/mpeg"),
  AAC_ADTS("aac", "audio/aac"),
  FLAC("flac", "audio/flac"),
  OGG("ogg", "audio/ogg"),
  FLV("flv", "video/x-flv"),
  ASF("wmv", "video/x-ms-asf"),
  AIFF("aiff", "audio/aiff"),
  AMR("amr", "audio/amr");

  private final String extension;
  private final String mimeType;

  ContainerType(String extension, String mimeType) {
    this.extension = extension;
    this.mimeType = mimeType;
  }

  public String extension() {
    return extension;
  }

  public String mimeType() {
    return mimeType;
  }
}
