package dev.prism.ingest.segment;

import dev.prism.ingest.MediaException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

/**
 * Lets the oldest undelivered chunk's frames go straight to the output queue while they are being
 * decoded, instead of being held until the whole chunk is done. The reassembling thread calls
 * {@link #advance(int)} once every frame of the chunks before {@code k} is in the queue; from then
 * on chunk k's sink first empties what it held, in order, then passes each frame on. Chunks
 * decoding ahead keep holding theirs (bounded by {@link OrderedChunks}' look-ahead). Why: a chunk
 * of a long GOP with every frame converted holds hundreds of frames (150 MB at 336p for GOP 250)
 * until delivered, long enough for them to survive young collections and be copied. Measured, a
 * minute of 720p at GOP 250 with every frame to RGB 336 on two workers: 3-19 collections taking
 * 0.03-0.50 s per run with whole chunks held, 3-4 taking 0.005-0.017 s passed on, as for one
 * decoding thread (3, 0.006-0.012 s).
 */
final class ChunkRelay {

  private final BlockingQueue<Object> out;
  private final String input;
  private int streaming;
  private long passed;

  ChunkRelay(BlockingQueue<Object> out, String input) {
    this.out = out;
    this.input = input;
  }

  /** Every frame of the chunks before {@code k} is in the queue: chunk k may pass its frames on. */
  synchronized void advance(int k) {
    streaming = k;
  }

  private synchronized boolean isStreaming(int k) {
    return streaming == k;
  }

  private synchronized void count() {
    passed++;
  }

  /** Frames passed straight on so far (diagnostics, tests). */
  synchronized long passed() {
    return passed;
  }

  /** A sink for chunk k's frames, in time order; {@link Sink#held()} is what it did not pass on. */
  Sink sink(int k) {
    return new Sink(k);
  }

  /** One chunk's frames: held until the chunk may stream, then passed on. Used by one thread. */
  final class Sink implements Consumer<VideoFrame> {
    private final int chunk;
    private final List<VideoFrame> held = new ArrayList<>();
    private boolean direct;

    private Sink(int chunk) {
      this.chunk = chunk;
    }

    @Override
    public void accept(VideoFrame f) {
      if (!direct && isStreaming(chunk)) {
        for (VideoFrame h : held) {
          put(h);
        }
        held.clear();
        direct = true;
      }
      if (direct) {
        put(f);
      } else {
        held.add(f);
      }
    }

    /** The frames not passed on: the caller delivers them after the chunk (all of them, or none). */
    List<VideoFrame> held() {
      return held;
    }

    private void put(VideoFrame f) {
      try {
        out.put(f);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new MediaException(MediaException.Kind.CANCELLED, input, "decoding cancelled");
      }
      count();
    }
  }
}
