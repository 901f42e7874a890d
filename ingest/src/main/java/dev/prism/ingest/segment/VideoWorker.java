package dev.prism.ingest.segment;

import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_DEFAULT;
import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_NONREF;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;

import dev.prism.ingest.ffmpeg.Decoder;
import dev.prism.ingest.ffmpeg.Demuxer;
import dev.prism.ingest.ffmpeg.RgbScaler;
import dev.prism.ingest.source.MediaSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.bytedeco.ffmpeg.avcodec.AVPacket;

/**
 * Decodes a chunk of GOPs with its own demuxer and decoder (QuickVideo's QuickDecoder: one context
 * per worker, so chunks decode concurrently). Within the chunk it seeks to the first GOP holding a
 * sampled frame, decodes until that GOP's last sampled frame is out, then skips the rest of the
 * GOP (reading packets without decoding) or seeks when the next needed GOP is further away, and
 * simply keeps decoding across GOP boundaries when every frame is wanted. When sampling, frames
 * that are neither wanted nor referenced are not decoded (skip_frame = NONREF, set per packet),
 * and once every wanted frame of a GOP has been sent the decoder is drained at once.
 */
final class VideoWorker implements AutoCloseable {

  /** Findings of a chunk (its frames went to the sink). */
  record ChunkResult(List<String> warnings, long decoded) {}

  private enum State { SEEK, WAIT_KEY, DECODE, LEADING }

  private static final int MAX_SEEK_ATTEMPTS = 4;

  private final Demuxer demuxer;
  private final String input;
  /** The decoder for the chunk being decoded: {@link #main}, or {@link #tail} for the last chunks. */
  private Decoder decoder;
  private final Decoder main;
  private final int mainThreads;
  private Decoder tail;
  private int tailThreads;
  private final RgbScaler scaler = new RgbScaler();
  private final int stream;
  private final KeyframeIndex index;
  private final FrameSampler sampler;
  private final DecodeBudget budget;
  private final double tb;
  private final double origin;
  private final boolean convert;
  private final double gapSeconds;
  private final boolean sparse;

  VideoWorker(MediaSource source, int stream, double origin, KeyframeIndex index, FrameSampler sampler, DecodeBudget budget,
      int threads, boolean convert) {
    this.demuxer = Demuxer.open(source, false, 1 << 20);
    try {
      demuxer.keepOnly(stream);
      this.main = new Decoder(demuxer.stream(stream), threads, source.name());
    } catch (RuntimeException e) {
      demuxer.close();
      throw e;
    }
    this.decoder = main;
    this.mainThreads = threads;
    this.input = source.name();
    this.stream = stream;
    this.index = index;
    this.sampler = sampler;
    this.budget = budget;
    this.tb = dev.prism.ingest.ffmpeg.Ffmpeg.toDouble(demuxer.stream(stream).time_base());
    this.origin = origin;
    this.convert = convert;
    double avg = index.frameCount > 1 ? index.contentEnd / index.frameCount : 1;
    this.gapSeconds = Math.max(0.5, 5 * avg);
    this.sparse = index.selected.length < index.frameCount;
  }

  /**
   * Decodes GOPs [gStart, gEnd), handing the converted sampled frames to {@code sink} in time order,
   * with a decoder of {@code threads} FFmpeg threads (the worker's own, or a second one it opens
   * once and keeps for the chunks at the end of the file).
   */
  ChunkResult decode(int gStart, int gEnd, Consumer<VideoFrame> sink, int threads) {
    if (threads == mainThreads) {
      decoder = main;
    } else {
      if (tail == null || tailThreads != threads) {
        if (tail != null) {
          tail.close();
        }
        tail = null;
        tail = new Decoder(demuxer.stream(stream), threads, input);
        tailThreads = threads;
      }
      decoder = tail;
    }
    Run r = new Run(gStart, gEnd, sink);
    int errorsBefore = decoder.errors();
    while (r.cur < r.needed.size()) {
      checkInterrupted();
      if (r.state == State.SEEK) {
        seekBefore(r.needed.get(r.cur), r.attempts);
        r.state = State.WAIT_KEY;
      }
      AVPacket pkt = demuxer.read();
      if (pkt == null) {
        decoder.send(null);
      } else {
        // Input bytes are not counted here: the keyframe scan already counted every packet once,
        // and counting the ones workers read again (seeks land a GOP early) would loosen the
        // decompression-bomb ratio.
        if (pkt.stream_index() != stream) {
          continue;
        }
        long t = pkt.pts();
        boolean key = (pkt.flags() & AV_PKT_FLAG_KEY) != 0 && t != AV_NOPTS_VALUE;
        if (r.state == State.WAIT_KEY) {
          if (!r.enter(t, key)) {
            continue;
          }
        } else if (r.state == State.LEADING) {
          if (t == AV_NOPTS_VALUE || t > r.leadingKey) {
            if (!r.leave(r.leadingGop, t)) {
              break;
            }
            continue;
          }
        } else if (key && r.curGop + 1 < index.keys.length && t >= index.keys[r.curGop + 1]) {
          int h = index.gopOf(t);
          if (h >= gEnd || r.remaining[h] == 0) {
            if (r.pendingBefore(h) && index.hasLeadingPictures(t)) {
              // Open GOPs: pictures shown before this keyframe follow it in decode order and need
              // it as a reference. Feed them, then leave. (Closed GOPs drain without it.)
              r.state = State.LEADING;
              r.leadingKey = t;
              r.leadingGop = h;
            } else {
              if (!r.leave(h, t)) {
                break;
              }
              continue;
            }
          } else {
            r.curGop = h;
          }
        }
        boolean wanted = t != AV_NOPTS_VALUE && index.isSelected(t);
        if (sparse) {
          // Frames nobody wants and nothing references need not be decoded at all.
          decoder.skipFrames(wanted || key ? AVDISCARD_DEFAULT : AVDISCARD_NONREF);
        }
        decoder.send(pkt);
        if (wanted) {
          int g = index.gopOf(t);
          if (r.unsent[g] > 0) {
            r.unsent[g]--;
          }
        }
      }
      boolean end = pkt == null;
      r.receive();
      if (sparse && r.state == State.DECODE && !end && r.curGop >= 0 && r.unsent[r.curGop] == 0
          && r.remaining[r.curGop] > 0) {
        // Every wanted frame of this GOP has been sent: drain them out now instead of feeding
        // (and decoding) the packets that follow only to push them through the decoder's delay.
        r.drain();
        r.lose(r.curGop, r.curGop + 1 < index.keys.length ? index.keys[r.curGop + 1] : Long.MAX_VALUE);
      }
      r.skipDone();
      if (end || r.cur == r.needed.size()) {
        break;
      }
      if (r.state == State.DECODE && r.needed.get(r.cur) > r.curGop) {
        // All sampled frames of the current GOP are out: skip its tail.
        r.state = r.needed.get(r.cur) - r.curGop <= 2 ? State.WAIT_KEY : State.SEEK;
      }
    }
    for (int i = r.cur; i < r.needed.size(); i++) {
      int g = r.needed.get(i);
      r.lose(g, g + 1 < index.keys.length ? index.keys[g + 1] : Long.MAX_VALUE);
    }
    if (r.missing > 0) {
      r.warnings.add(String.format(Locale.ROOT,
          "%d sampled frames between %.2f s and %.2f s could not be decoded (damaged or missing data)",
          r.missing, r.missFrom, r.missTo));
    }
    int errs = decoder.errors() - errorsBefore;
    if (errs > 0) {
      r.warnings.add(errs + " video packets failed to decode in the chunk starting at "
          + String.format(Locale.ROOT, "%.2f s", index.keys[gStart] * tb - origin));
    }
    decoder.flush();
    return new ChunkResult(r.warnings, r.decoded);
  }

  /** The state of decoding one chunk. */
  private final class Run {
    final int gStart;
    final int gEnd;
    final List<Integer> needed = new ArrayList<>();
    final int[] remaining = new int[index.keys.length];
    final int[] unsent = new int[index.keys.length];
    final Consumer<VideoFrame> sink;
    final List<String> warnings = new ArrayList<>();
    long decoded;
    int cur;
    int curGop = -1;
    State state = State.SEEK;
    int attempts;
    long leadingKey;
    int leadingGop;
    double prevPts = Double.NaN;
    int missing;
    double missFrom = Double.NaN;
    double missTo = Double.NaN;

    Run(int gStart, int gEnd, Consumer<VideoFrame> sink) {
      this.sink = sink;
      this.gStart = gStart;
      this.gEnd = gEnd;
      for (int g = gStart; g < gEnd; g++) {
        if (index.selectedPerGop[g] > 0) {
          needed.add(g);
          remaining[g] = index.selectedPerGop[g];
          unsent[g] = remaining[g];
        }
      }
    }

    /** In WAIT_KEY: true when this packet starts the wanted GOP (decoder flushed, state DECODE). */
    boolean enter(long t, boolean key) {
      int want = needed.get(cur);
      if (t != AV_NOPTS_VALUE && t > index.keys[want] && !key && attempts < MAX_SEEK_ATTEMPTS
          && index.gopOf(t) == want) {
        // Landed past the keyframe (timestamp-bisecting demuxers such as MPEG-TS): go further back.
        attempts++;
        state = State.SEEK;
        return false;
      }
      if (!key || t < index.keys[want]) {
        return false;
      }
      attempts = 0;
      int h = index.gopOf(t);
      while (cur < needed.size() && needed.get(cur) < h) {
        // The wanted keyframe never came (damaged data): its sampled frames are lost.
        lose(needed.get(cur), t);
        cur++;
      }
      if (cur == needed.size() || needed.get(cur) != h) {
        return false;
      }
      decoder.flush();
      prevPts = Double.NaN;
      curGop = h;
      state = State.DECODE;
      return true;
    }

    /** Leaves the wanted run at GOP h: drains, then skips or seeks to the next wanted GOP. False when done. */
    boolean leave(int h, long t) {
      drain();
      while (cur < needed.size() && needed.get(cur) < h) {
        lose(needed.get(cur), t);
        cur++;
      }
      skipDone();
      if (cur == needed.size()) {
        return false;
      }
      state = needed.get(cur) - h <= 2 ? State.WAIT_KEY : State.SEEK;
      return true;
    }

    boolean pendingBefore(int h) {
      for (int i = cur; i < needed.size() && needed.get(i) < h; i++) {
        if (remaining[needed.get(i)] > 0) {
          return true;
        }
      }
      return false;
    }

    void skipDone() {
      while (cur < needed.size() && remaining[needed.get(cur)] == 0) {
        cur++;
      }
    }

    /** Counts GOP g's still-missing sampled frames as lost (up to stream time {@code until}). */
    void lose(int g, long until) {
      if (remaining[g] > 0) {
        missing += remaining[g];
        missFrom = Double.isNaN(missFrom) ? index.keys[g] * tb - origin : missFrom;
        missTo = until == Long.MAX_VALUE ? index.contentEnd : until * tb - origin;
        remaining[g] = 0;
      }
    }

    void receive() {
      while (decoder.receive()) {
        frame();
      }
    }

    void drain() {
      decoder.send(null);
      receive();
      decoder.flush();
    }

    private void frame() {
      decoded++;
      long p = decoder.framePts();
      budget.videoFrame(decoder.frame().width(), decoder.frame().height());
      if (p == AV_NOPTS_VALUE) {
        return;
      }
      double s = p * tb - origin;
      if (!Double.isNaN(prevPts) && s - prevPts > gapSeconds) {
        warnings.add(String.format(Locale.ROOT, "video gap from %.2f s to %.2f s (missing or undecodable data)", prevPts, s));
      }
      prevPts = s;
      if (!index.isSelected(p)) {
        return;
      }
      int g = index.gopOf(p);
      if (g < gStart || g >= gEnd || remaining[g] == 0) {
        return;
      }
      remaining[g]--;
      if (convert) {
        sink.accept(sampler.convert(scaler, decoder.frame(), s));
      }
    }
  }

  /**
   * Positions the demuxer before GOP g's keyframe. Seeks aim one GOP early (more on retries), because
   * some demuxers land just after the requested keyframe; the packets in between are read, not decoded.
   */
  private void seekBefore(int g, int attempt) {
    int back = g - (1 << attempt);
    if (back < 0 || attempt >= MAX_SEEK_ATTEMPTS - 1 || !demuxer.seek(stream, index.keys[back])) {
      demuxer.rewind();
    }
  }

  private static void checkInterrupted() {
    if (Thread.currentThread().isInterrupted()) {
      throw new dev.prism.ingest.MediaException(dev.prism.ingest.MediaException.Kind.CANCELLED, "video", "decoding cancelled");
    }
  }

  @Override
  public void close() {
    scaler.close();
    main.close();
    if (tail != null) {
      tail.close();
    }
    demuxer.close();
  }
}
