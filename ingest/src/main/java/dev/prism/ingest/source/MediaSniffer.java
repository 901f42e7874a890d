package dev.prism.ingest.source;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Decides a container from its first bytes (magic numbers), never from a file name, so an upload
 * is accepted or refused by what it is. Give it at least {@link #HEAD_BYTES} bytes when available
 * (MPEG-TS needs three sync bytes 188 apart; MP3 after an ID3 tag needs the tag skipped, which
 * only the tag header is required for).
 */
public final class MediaSniffer {

  /** How many leading bytes the sniffer wants. */
  public static final int HEAD_BYTES = 4096;

  private MediaSniffer() {}

  public static Optional<ContainerType> sniff(byte[] head) {
    return Optional.ofNullable(detect(head, head == null ? 0 : head.length));
  }

  private static ContainerType detect(byte[] b, int n) {
    if (n < 4) {
      return null;
    }
    if (n >= 12 && ascii(b, 4, "ftyp")) {
      String brand = new String(b, 8, 4, StandardCharsets.ISO_8859_1);
      if (brand.startsWith("qt")) {
        return ContainerType.MOV;
      }
      if (brand.startsWith("M4A") || brand.startsWith("M4B")) {
        return ContainerType.M4A;
      }
      return ContainerType.MP4;
    }
    if (n >= 8 && (ascii(b, 4, "moov") || ascii(b, 4, "mdat") || ascii(b, 4, "wide") || ascii(b, 4, "free"))) {
      return ContainerType.MOV;
    }
    if (u8(b, 0) == 0x1A && u8(b, 1) == 0x45 && u8(b, 2) == 0xDF && u8(b, 3) == 0xA3) {
      return contains(b, n, "webm") ? ContainerType.WEBM : ContainerType.MATROSKA;
    }
    if (n >= 12 && ascii(b, 0, "RIFF")) {
      if (ascii(b, 8, "AVI ")) {
        return ContainerType.AVI;
      }
      if (ascii(b, 8, "WAVE")) {
        return ContainerType.WAV;
      }
      return null;
    }
    if (n >= 12 && (ascii(b, 0, "RF64") || ascii(b, 0, "BW64")) && ascii(b, 8, "WAVE")) {
      return ContainerType.WAV;
    }
    if (ascii(b, 0, "fLaC")) {
      return ContainerType.FLAC;
    }
    if (ascii(b, 0, "OggS")) {
      return ContainerType.OGG;
    }
    if (n >= 3 && ascii(b, 0, "FLV") && u8(b, 3) == 1) {
      return ContainerType.FLV;
    }
    if (n >= 16 && u8(b, 0) == 0x30 && u8(b, 1) == 0x26 && u8(b, 2) == 0xB2 && u8(b, 3) == 0x75) {
      return ContainerType.ASF;
    }
    if (n >= 12 && ascii(b, 0, "FORM") && (ascii(b, 8, "AIFF") || ascii(b, 8, "AIFC"))) {
      return ContainerType.AIFF;
    }
    if (n >= 6 && ascii(b, 0, "#!AMR")) {
      return ContainerType.AMR;
    }
    if (u8(b, 0) == 0 && u8(b, 1) == 0 && u8(b, 2) == 1 && u8(b, 3) == 0xBA) {
      return ContainerType.MPEG_PS;
    }
    if (isTs(b, n, 188) || isTs(b, n, 192)) {
      return ContainerType.MPEG_TS;
    }
    if (n >= 10 && ascii(b, 0, "ID3")) {
      // Skip the ID3v2 tag (syncsafe size) and look at what follows; without enough bytes assume MP3.
      int size = ((b[6] & 0x7f) << 21) | ((b[7] & 0x7f) << 14) | ((b[8] & 0x7f) << 7) | (b[9] & 0x7f);
      int at = 10 + size + ((b[5] & 0x10) != 0 ? 10 : 0);
      if (at + 4 <= n) {
        byte[] rest = java.util.Arrays.copyOfRange(b, at, n);
        ContainerType inner = detect(rest, rest.length);
        if (inner == ContainerType.AAC_ADTS || inner == ContainerType.FLAC) {
          return inner;
        }
      }
      return ContainerType.MP3;
    }
    if (isAdts(b, n)) {
      return ContainerType.AAC_ADTS;
    }
    if (isMpegAudio(b, n)) {
      return ContainerType.MP3;
    }
    return null;
  }

  private static boolean isTs(byte[] b, int n, int packet) {
    int offset = packet == 192 ? 4 : 0;
    if (n < offset + 2 * packet + 1) {
      return false;
    }
    for (int i = offset; i < n && i < offset + 3 * packet; i += packet) {
      if (u8(b, i) != 0x47) {
        return false;
      }
    }
    return true;
  }

  /** ADTS: 12-bit sync 0xFFF, layer 00, and a second header at the frame length. */
  private static boolean isAdts(byte[] b, int n) {
    if (n < 7 || u8(b, 0) != 0xFF || (u8(b, 1) & 0xF6) != 0xF0) {
      return false;
    }
    int len = ((u8(b, 3) & 0x03) << 11) | (u8(b, 4) << 3) | (u8(b, 5) >> 5);
    if (len < 7) {
      return false;
    }
    return len + 2 > n || (u8(b, len) == 0xFF && (u8(b, len + 1) & 0xF6) == 0xF0);
  }

  /** MPEG audio frame sync (11 bits), valid version/layer/bitrate/rate, and a second frame where it should be. */
  private static boolean isMpegAudio(byte[] b, int n) {
    int len = mpegFrameLength(b, 0, n);
    if (len <= 0) {
      return false;
    }
    return len + 4 > n || mpegFrameLength(b, len, n) > 0;
  }

  private static final int[][] BITRATES_V1 = {
      {0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448},
      {0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384},
      {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320}};
  private static final int[] BITRATES_V2 = {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160};
  private static final int[] RATES = {44100, 48000, 32000};

  private static int mpegFrameLength(byte[] b, int at, int n) {
    if (at + 4 > n || u8(b, at) != 0xFF || (u8(b, at + 1) & 0xE0) != 0xE0) {
      return -1;
    }
    int version = (u8(b, at + 1) >> 3) & 3;
    int layer = (u8(b, at + 1) >> 1) & 3;
    int bri = u8(b, at + 2) >> 4;
    int sri = (u8(b, at + 2) >> 2) & 3;
    int pad = (u8(b, at + 2) >> 1) & 1;
    if (version == 1 || layer == 0 || bri == 0 || bri == 15 || sri == 3) {
      return -1;
    }
    int rate = RATES[sri] >> (version == 3 ? 0 : version == 2 ? 1 : 2);
    int kbps = version == 3 ? BITRATES_V1[3 - layer][bri] : BITRATES_V2[bri];
    if (layer == 3) {
      return (12 * kbps * 1000 / rate + pad) * 4;
    }
    int perFrame = layer == 1 && version != 3 ? 72 : 144;
    return perFrame * kbps * 1000 / rate + pad;
  }

  private static boolean ascii(byte[] b, int at, String s) {
    if (at + s.length() > b.length) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (b[at + i] != (byte) s.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static boolean contains(byte[] b, int n, String s) {
    byte[] needle = s.getBytes(StandardCharsets.ISO_8859_1);
    outer:
    for (int i = 0; i + needle.length <= Math.min(n, 64); i++) {
      for (int k = 0; k < needle.length; k++) {
        if (b[i + k] != needle[k]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private static int u8(byte[] b, int i) {
    return b[i] & 0xff;
  }
}
