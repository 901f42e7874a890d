package dev.prism.codecs.bench;

import dev.prism.codecs.AudioCodec;
import dev.prism.codecs.CodecStreamEncoder;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;

/**
 * Encode speed the way the codec stage encodes: PCM pushed in 20-frame chunks into one stream
 * encoder, with a given number of encoder threads. Wall time is noisy on a shared machine; the CPU
 * time of the threads that did the work (the caller's plus the encoder workers', from
 * {@link ThreadMXBean}) is what load inflates least, so real time per CPU second is the per-thread
 * speed and wall real time x threads is bounded by it. Each clip is encoded {@link #REPEATS} times
 * and the best wall and CPU times are kept.
 */
final class EncodeSpeed {
    double wallSeconds;
    double cpuSeconds;

    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    /** Repeats per clip; the least wall and the least CPU time count (other processes only ever add). */
    static final int REPEATS = 3;

    /** Adds one clip's encode with {@code codec} (whose config fixes the thread count), best of {@link #REPEATS}. */
    void add(AudioCodec codec, float[] x) {
        double wall = Double.POSITIVE_INFINITY;
        double cpuBest = Double.POSITIVE_INFINITY;
        for (int rep = 0; rep < REPEATS; rep++) {
            Map<Long, Long> before = workerCpu();
            long self0 = MX.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            CodecStreamEncoder enc = codec.newEncoder();
            int chunk = 20 * codec.latent().hopSize();
            for (int pos = 0; pos < x.length; pos += chunk) {
                enc.push(x, pos, Math.min(chunk, x.length - pos));
            }
            enc.finish();
            wall = Math.min(wall, (System.nanoTime() - t0) / 1e9);
            long cpu = MX.getCurrentThreadCpuTime() - self0;
            for (Map.Entry<Long, Long> e : workerCpu().entrySet()) {
                cpu += e.getValue() - before.getOrDefault(e.getKey(), 0L);
            }
            cpuBest = Math.min(cpuBest, cpu / 1e9);
        }
        wallSeconds += wall;
        cpuSeconds += cpuBest;
    }

    private static Map<Long, Long> workerCpu() {
        Map<Long, Long> out = new HashMap<>();
        for (ThreadInfo t : MX.getThreadInfo(MX.getAllThreadIds())) {
            if (t != null && t.getThreadName().startsWith(CodecStreamEncoder.WORKER_THREAD_PREFIX)) {
                long c = MX.getThreadCpuTime(t.getThreadId());
                if (c >= 0) {
                    out.put(t.getThreadId(), c);
                }
            }
        }
        return out;
    }
}
