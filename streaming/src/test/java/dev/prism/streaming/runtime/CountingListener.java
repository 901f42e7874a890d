package dev.prism.streaming.runtime;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Records what the runtime reported, for assertions. */
final class CountingListener implements StageListener {
    final AtomicInteger in = new AtomicInteger();
    final AtomicInteger out = new AtomicInteger();
    final AtomicInteger processed = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    final AtomicInteger deadLettered = new AtomicInteger();
    final AtomicInteger lagReports = new AtomicInteger();
    final AtomicLong lastLag = new AtomicLong(-1);

    @Override
    public void recordIn(String stage) {
        in.incrementAndGet();
    }

    @Override
    public void recordOut(String stage, String topic) {
        out.incrementAndGet();
    }

    @Override
    public void processed(String stage, long nanos) {
        processed.incrementAndGet();
    }

    @Override
    public void failed(String stage, Throwable t) {
        failed.incrementAndGet();
    }

    @Override
    public void deadLettered(String stage) {
        deadLettered.incrementAndGet();
    }

    @Override
    public void lag(String stage, long totalLag) {
        lagReports.incrementAndGet();
        lastLag.set(totalLag);
    }
}
