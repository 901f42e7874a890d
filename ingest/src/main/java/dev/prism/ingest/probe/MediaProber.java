package dev.prism.ingest.probe;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_DATA_DISPLAYMATRIX;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_side_data_get;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avformat.AV_DISPOSITION_ATTACHED_PIC;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_ATTACHMENT;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_DATA;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_SUBTITLE;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_get;
import static org.bytedeco.ffmpeg.global.avutil.av_display_rotation_get;

import dev.prism.ingest.MediaException;
import dev.prism.ingest.MediaException.Kind;
import dev.prism.ingest.MediaLimits;
import dev.prism.ingest.ffmpeg.Demuxer;
import dev.prism.ingest.ffmpeg.Ffmpeg;
import dev.prism.ingest.source.MediaSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avcodec.AVPacketSideData;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionaryEntry;
import org.bytedeco.javacpp.IntPointer;

/**
 * Reads what an input contains and checks it against {@link MediaLimits}. Frame-rate variability
 * is measured, not guessed from header rates: the presentation times of the first
 * {@value #VFR_PACKETS} video packets are sorted and their intervals compared.
 */
public final class MediaProber {

  static final int VFR_PACKETS = 240;
  public static final long PROBE_BYTES = 32L << 20;

  private final MediaLimits limits;

  public MediaProber() {
    this(MediaLimits.defaults());
  }

  public MediaProber(MediaLimits limits) {
    this.limits = limits;
  }

  public MediaLimits limits() {
    return limits;
  }

  /** Probes a trusted local file. */
  public MediaProbe probe(Path file) {
    return probe(MediaSource.file(file));
  }

  /** Probes a source (already checked by a {@link dev.prism.ingest.source.SourcePolicy} when it came from a URI). */
  public MediaProbe probe(MediaSource source) {
    checkSize(source, limits);
    try (Demuxer d = Demuxer.open(source, true, PROBE_BYTES)) {
      MediaProbe p = describe(d, source);
      check(p, limits);
      return p;
    }
  }

  static void checkSize(MediaSource source, MediaLimits limits) {
    if (source.sizeBytes() > limits.maxFileBytes()) {
      throw new MediaException(Kind.LIMIT, source.name(), "size " + source.sizeBytes() + " bytes exceeds the limit of "
          + limits.maxFileBytes() + " bytes; send a smaller file or raise maxFileBytes");
    }
  }

  /** Describes an opened demuxer; reads up to {@value #VFR_PACKETS} packets of the main video stream. */
  public static MediaProbe describe(Demuxer d, MediaSource source) {
    return describe(d, source, true);
  }

  /**
   * Describes an opened demuxer. {@code measureRate} reads packets to tell constant from variable
   * frame rate; pass false to leave the demuxer untouched (a live source, read once).
   */
  public static MediaProbe describe(Demuxer d, MediaSource source, boolean measureRate) {
    List<StreamInfo> streams = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    for (int i = 0; i < d.streamCount(); i++) {
      streams.add(stream(d.stream(i)));
    }
    double duration = d.durationSeconds();
    if (Double.isNaN(duration)) {
      duration = streams.stream().mapToDouble(StreamInfo::durationSeconds).filter(x -> !Double.isNaN(x)).max().orElse(Double.NaN);
      if (Double.isNaN(duration) && !source.live()) {
        warnings.add("the container states no duration");
      }
    }
    for (StreamInfo s : streams) {
      if (!s.decodable() && (s.type() == StreamInfo.Type.VIDEO || s.type() == StreamInfo.Type.AUDIO)) {
        warnings.add("stream " + s.index() + " (" + s.type() + ", codec " + s.codec() + ") cannot be decoded and is ignored");
      }
    }
    MediaProbe probe = new MediaProbe(source.name(), d.context().iformat().name().getString(), duration,
        d.originSeconds(), source.sizeBytes(), d.context().bit_rate(), streams, warnings);
    if (measureRate && probe.video().filter(StreamInfo::decodable).isPresent() && d.context().nb_streams() <= 4096) {
      probe = withVfr(d, probe);
    }
    return probe;
  }

  private static StreamInfo stream(AVStream st) {
    AVCodecParameters par = st.codecpar();
    int t = par.codec_type();
    boolean cover = (st.disposition() & AV_DISPOSITION_ATTACHED_PIC) != 0;
    StreamInfo.Type type = t == AVMEDIA_TYPE_VIDEO ? (cover ? StreamInfo.Type.COVER_ART : StreamInfo.Type.VIDEO)
        : t == AVMEDIA_TYPE_AUDIO ? StreamInfo.Type.AUDIO
        : t == AVMEDIA_TYPE_SUBTITLE ? StreamInfo.Type.SUBTITLE
        : t == AVMEDIA_TYPE_DATA ? StreamInfo.Type.DATA
        : t == AVMEDIA_TYPE_ATTACHMENT ? StreamInfo.Type.ATTACHMENT : StreamInfo.Type.UNKNOWN;
    String codec = avcodec_get_name(par.codec_id()).getString();
    var dec = avcodec_find_decoder(par.codec_id());
    boolean decodable = dec != null && !dec.isNull();
    double dur = st.duration() == AV_NOPTS_VALUE ? Double.NaN : Ffmpeg.seconds(st.duration(), st.time_base());
    double fps = Ffmpeg.toDouble(st.avg_frame_rate());
    if (Double.isNaN(fps)) {
      fps = Ffmpeg.toDouble(st.r_frame_rate());
    }
    boolean video = type == StreamInfo.Type.VIDEO;
    AVDictionaryEntry lang = av_dict_get(st.metadata(), "language", null, 0);
    return new StreamInfo(st.index(), type, codec, decodable, dur,
        video ? par.width() : 0, video ? par.height() : 0, video ? fps : Double.NaN, false,
        video ? rotation(par) : 0,
        type == StreamInfo.Type.AUDIO ? par.sample_rate() : 0,
        type == StreamInfo.Type.AUDIO ? par.ch_layout().nb_channels() : 0,
        lang == null || lang.isNull() ? "" : lang.value().getString());
  }

  /** Clockwise display rotation from the display-matrix side data, snapped to a multiple of 90. */
  static int rotation(AVCodecParameters par) {
    AVPacketSideData sd = av_packet_side_data_get(par.coded_side_data(), par.nb_coded_side_data(), AV_PKT_DATA_DISPLAYMATRIX);
    if (sd == null || sd.isNull() || sd.size() < 36) {
      return 0;
    }
    double ccw = av_display_rotation_get(new IntPointer(sd.data()));
    if (Double.isNaN(ccw)) {
      return 0;
    }
    long cw = Math.round(-ccw / 90.0) * 90;
    return (int) (((cw % 360) + 360) % 360);
  }

  private static MediaProbe withVfr(Demuxer d, MediaProbe p) {
    StreamInfo v = p.video().orElseThrow();
    AVStream st = d.stream(v.index());
    d.keepOnly(v.index());
    long[] pts = new long[VFR_PACKETS];
    int n = 0;
    AVPacket pkt;
    try {
      while (n < VFR_PACKETS && (pkt = d.read()) != null) {
        if (pkt.stream_index() == v.index() && pkt.pts() != AV_NOPTS_VALUE) {
          pts[n++] = pkt.pts();
        }
      }
    } catch (MediaException e) {
      // A read failure this early shows up again, with context, when decoding.
    }
    boolean vfr = isVariable(Arrays.copyOf(pts, n));
    double tb = Ffmpeg.toDouble(st.time_base());
    List<StreamInfo> streams = new ArrayList<>(p.streams());
    streams.set(streams.indexOf(v), new StreamInfo(v.index(), v.type(), v.codec(), v.decodable(),
        v.durationSeconds(), v.width(), v.height(), v.frameRate(), vfr, v.rotationDegrees(),
        v.sampleRate(), v.channels(), v.language()));
    return new MediaProbe(p.input(), p.container(), p.durationSeconds(), p.startSeconds(), p.sizeBytes(), p.bitRate(), streams, p.warnings());
  }

  /**
   * Variable when sorted intervals differ by more than 2 ticks and 10 % of the median interval
   * (tick rounding of a constant rate in a coarse time base stays constant).
   */
  static boolean isVariable(long[] pts) {
    if (pts.length < 3) {
      return false;
    }
    Arrays.sort(pts);
    long[] deltas = new long[pts.length - 1];
    int m = 0;
    for (int i = 1; i < pts.length; i++) {
      if (pts[i] > pts[i - 1]) {
        deltas[m++] = pts[i] - pts[i - 1];
      }
    }
    if (m < 2) {
      return false;
    }
    long[] ds = Arrays.copyOf(deltas, m);
    Arrays.sort(ds);
    long median = ds[m / 2];
    long spread = ds[m - 1] - ds[0];
    return spread > 2 && spread > 0.1 * median;
  }

  /** Applies the limits; throws a LIMIT or INVALID/UNSUPPORTED exception with the reason. */
  public static void check(MediaProbe p, MediaLimits limits) {
    if (p.streams().size() > limits.maxStreams()) {
      throw new MediaException(Kind.LIMIT, p.input(), p.streams().size() + " streams exceed the limit of "
          + limits.maxStreams() + "; remux it with only the streams you need or raise maxStreams");
    }
    if (p.streams().isEmpty()) {
      throw new MediaException(Kind.INVALID, p.input(), "contains no audio or video streams; check the file");
    }
    for (StreamInfo s : p.streams()) {
      if (s.type() == StreamInfo.Type.VIDEO && (s.width() > limits.maxWidth() || s.height() > limits.maxHeight())) {
        throw new MediaException(Kind.LIMIT, p.input(), "video stream " + s.index() + " is " + s.width() + "x"
            + s.height() + ", over the limit of " + limits.maxWidth() + "x" + limits.maxHeight()
            + "; downscale it first or raise maxWidth/maxHeight");
      }
      if (s.durationSeconds() > limits.maxDurationSeconds()) {
        throw durationError(p, s.durationSeconds(), limits);
      }
    }
    if (p.durationSeconds() > limits.maxDurationSeconds()) {
      throw durationError(p, p.durationSeconds(), limits);
    }
    boolean any = p.streams().stream().anyMatch(s -> s.decodable()
        && (s.type() == StreamInfo.Type.VIDEO || s.type() == StreamInfo.Type.AUDIO));
    if (!any) {
      String codecs = p.streams().stream().map(s -> s.type() + ":" + s.codec()).toList().toString();
      throw new MediaException(Kind.UNSUPPORTED, p.input(), "no decodable audio or video stream (found " + codecs
          + "); convert it to a common codec such as H.264/AAC");
    }
  }

  private static MediaException durationError(MediaProbe p, double seconds, MediaLimits limits) {
    return new MediaException(Kind.LIMIT, p.input(), String.format(java.util.Locale.ROOT,
        "duration %.1f s exceeds the limit of %.1f s; cut it into parts or raise maxDurationSeconds",
        seconds, limits.maxDurationSeconds()));
  }
}
