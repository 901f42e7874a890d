package dev.prism.ingest.segment;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;

import dev.prism.ingest.ffmpeg.Decoder;
import dev.prism.ingest.ffmpeg.Demuxer;
import dev.prism.ingest.ffmpeg.RgbScaler;
import dev.prism.ingest.source.MediaSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.ffmpeg.avcodec.AVPacket;

/**
 * Decodes a chunk of GOPs with its own demuxer and decoder (QuickVideo's QuickDecoder: one context
 * per worker, so chunks decode concurrently). Within the chunk it seeks to the first GOP holding a
 * sampled frame, decodes until that GOP's last sampled frame is out, then skips the rest of the
 * GOP (reading packets without decoding) or seeks when the next needed GOP is further away, and
 * simply keeps decoding across GOP boundaries when every frame is wanted.
 */
final class VideoWorker implements AutoCloseable {

  /** Decoded frames kept for the caller plus findings. */
  record ChunkResult(List<VideoFrame> frames, List<String> warnings, long decoded) {}

  private enum State { SEEK, WAIT_KEY, DECODE }

  private static final int MAX_SEEK_ATTEMPTS = 4;

  private final Demuxer demuxer;
  private final Decoder decoder;
  private final RgbScaler scaler = new RgbScaler();
  private final int stream;
  private final KeyframeIndex index;
  private final FrameSampler sampler;
  private final DecodeBudget budget;
  private final double tb;
  private final double origin;
  private final boolean convert;
  private final double gapSeconds;

  VideoWorker(MediaSource source, int stream, KeyframeIndex index, FrameSampler sampler, DecodeBudget budget,
      int threads, boolean convert) {
    this.demuxer = Demuxer.open(source, false, 1 << 20);
    try {
      demuxer.keepOnly(stream);
      this.decoder = new Decoder(demuxer.stream(stream), threads, source.name());
    } catch (RuntimeException e) {
      demuxer.close();
      throw e;
    }
    this.stream = stream;
    this.index = index;
    this.sampler = sampler;
    this.budget = budget;
    this.tb = dev.prism.ingest.ffmpeg.Ffmpeg.toDouble(demuxer.stream(stream).time_base());
    this.origin = demuxer.originSeconds();
    this.convert = convert;
    double avg = index.frameCount > 1 ? index.contentEnd / index.frameCount : 1;
    this.gapSeconds = Math.max(0.5, 5 * avg);
  }

  ChunkResult decode(int gStart, int gEnd) {
    List<Integer> needed = new ArrayList<>();
    int[] remaining = new int[index.keys.length];
    for (int g = gStart; g < gEnd; g++) {
      if (index.selectedPerGop[g] > 0) {
        needed.add(g);
        remaining[g] = index.selectedPerGop[g];
      }
    }
    List<VideoFrame> frames = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    long decoded = 0;
    int errorsBefore = decoder.errors();
    int cur = 0;
    int curGop = -1;
    double prevPts = Double.NaN;
    State state = State.SEEK;
    int attempts = 0;
    int missing = 0;
    double missFrom = Double.NaN;
    double missTo = Double.NaN;
    while (cur < needed.size()) {
      checkInterrupted();
      if (state == State.SEEK) {
        seekBefore(needed.get(cur), attempts);
        state = State.WAIT_KEY;
      }
      AVPacket pkt = demuxer.read();
      if (pkt == null) {
        decoder.send(null);
      } else {
        budget.inputBytes(pkt.size());
        if (pkt.stream_index() != stream) {
          continue;
        }
        long t = pkt.pts();
        boolean key = (pkt.flags() & AV_PKT_FLAG_KEY) != 0 && t != AV_NOPTS_VALUE;
        if (state == State.WAIT_KEY) {
          int want = needed.get(cur);
          if (t != AV_NOPTS_VALUE && t > index.keys[want] && !key && attempts < MAX_SEEK_ATTEMPTS
              && index.gopOf(t) == want) {
            // Landed past the keyframe (timestamp-bisecting demuxers such as MPEG-TS): go further back.
            attempts++;
            state = State.SEEK;
            continue;
          }
          if (!key || t < index.keys[want]) {
            continue;
          }
          attempts = 0;
          int h = index.gopOf(t);
          while (cur < needed.size() && needed.get(cur) < h) {
            // The wanted keyframe never came (damaged data): its sampled frames are lost.
            int g = needed.get(cur);
            missing += remaining[g];
            missFrom = Double.isNaN(missFrom) ? index.keys[g] * tb - origin : missFrom;
            missTo = t * tb - origin;
            remaining[g] = 0;
            cur++;
          }
          if (cur == needed.size() || needed.get(cur) != h) {
            continue;
          }
          decoder.flush();
          prevPts = Double.NaN;
          curGop = h;
          state = State.DECODE;
        } else if (key && curGop + 1 < index.keys.length && t >= index.keys[curGop + 1]) {
          int h = index.gopOf(t);
          if (h >= gEnd || remaining[h] == 0) {
            // Leaving the wanted run: finish what the decoder holds, then skip or seek.
            decoded += drain(remaining, frames, gStart, gEnd);
            while (cur < needed.size() && needed.get(cur) < h) {
              int g = needed.get(cur);
              if (remaining[g] > 0) {
                missing += remaining[g];
                missFrom = Double.isNaN(missFrom) ? index.keys[g] * tb - origin : missFrom;
                missTo = t * tb - origin;
                remaining[g] = 0;
              }
              cur++;
            }
            while (cur < needed.size() && remaining[needed.get(cur)] == 0) {
              cur++;
            }
            if (cur == needed.size()) {
              break;
            }
            state = needed.get(cur) - h <= 2 ? State.WAIT_KEY : State.SEEK;
            continue;
          }
          curGop = h;
        }
        decoder.send(pkt);
      }
      boolean end = pkt == null;
      while (decoder.receive()) {
        decoded++;
        long p = decoder.framePts();
        budget.videoFrame(decoder.frame().width(), decoder.frame().height());
        double s = p == AV_NOPTS_VALUE ? Double.NaN : p * tb - origin;
        if (!Double.isNaN(prevPts) && s - prevPts > gapSeconds) {
          warnings.add(String.format(Locale.ROOT, "video gap from %.2f s to %.2f s (missing or undecodable data)", prevPts, s));
        }
        prevPts = s;
        accept(p, s, remaining, frames, gStart, gEnd);
      }
      while (cur < needed.size() && remaining[needed.get(cur)] == 0) {
        cur++;
      }
      if (end || cur == needed.size()) {
        break;
      }
      if (state == State.DECODE && needed.get(cur) > curGop) {
        // All sampled frames of the current GOP are out: skip its tail.
        state = needed.get(cur) - curGop <= 2 ? State.WAIT_KEY : State.SEEK;
      }
    }
    for (int i = cur; i < needed.size(); i++) {
      int g = needed.get(i);
      if (remaining[g] > 0) {
        missing += remaining[g];
        missFrom = Double.isNaN(missFrom) ? index.keys[g] * tb - origin : missFrom;
        missTo = (g + 1 < index.keys.length ? index.keys[g + 1] * tb : index.contentEnd + origin) - origin;
      }
    }
    if (missing > 0) {
      warnings.add(String.format(Locale.ROOT, "%d sampled frames between %.2f s and %.2f s could not be decoded (damaged or missing data)",
          missing, missFrom, missTo));
    }
    int errs = decoder.errors() - errorsBefore;
    if (errs > 0) {
      warnings.add(errs + " video packets failed to decode in the chunk starting at "
          + String.format(Locale.ROOT, "%.2f s", index.keys[gStart] * tb - origin));
    }
    decoder.flush();
    return new ChunkResult(frames, warnings, decoded);
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

  private long drain(int[] remaining, List<VideoFrame> frames, int gStart, int gEnd) {
    decoder.send(null);
    long n = 0;
    while (decoder.receive()) {
      n++;
      long p = decoder.framePts();
      budget.videoFrame(decoder.frame().width(), decoder.frame().height());
      accept(p, p == AV_NOPTS_VALUE ? Double.NaN : p * tb - origin, remaining, frames, gStart, gEnd);
    }
    decoder.flush();
    return n;
  }

  private void accept(long p, double s, int[] remaining, List<VideoFrame> frames, int gStart, int gEnd) {
    if (p == AV_NOPTS_VALUE || !index.isSelected(p)) {
      return;
    }
    int g = index.gopOf(p);
    if (g < gStart || g >= gEnd || remaining[g] == 0) {
      return;
    }
    remaining[g]--;
    if (convert) {
      frames.add(sampler.convert(scaler, decoder.frame(), s));
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
    decoder.close();
    demuxer.close();
  }
}
