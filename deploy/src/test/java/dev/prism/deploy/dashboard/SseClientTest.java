package dev.prism.deploy.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prism.deploy.jobs.LiveEvent;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.resteasy.reactive.server.jaxrs.SseImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The per-client queue: order and ids kept, filtering, and the slow-client rule (no gap, explicit end). */
class SseClientTest {

    /** A sink whose writes complete only when the test releases them, like a client that reads slowly. */
    static class SlowSink implements SseEventSink {
        final List<OutboundSseEvent> sent = new ArrayList<>();
        final List<CompletableFuture<Object>> pending = new ArrayList<>();
        final AtomicBoolean closed = new AtomicBoolean();

        @Override
        public synchronized CompletionStage<?> send(OutboundSseEvent event) {
            sent.add(event);
            CompletableFuture<Object> f = new CompletableFuture<>();
            pending.add(f);
            return f;
        }

        synchronized void releaseAll() {
            List<CompletableFuture<Object>> p = new ArrayList<>(pending);
            pending.clear();
            p.forEach(f -> f.complete(null));
        }

        synchronized List<OutboundSseEvent> sent() {
            return new ArrayList<>(sent);
        }

        @Override
        public boolean isClosed() {
            return closed.get();
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    private final ExecutorService executor = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private static LiveEvent ev(long seq, String type) {
        return new LiveEvent(seq, "job1", type, Map.of("n", seq));
    }

    /** Releases writes until the client is idle or closed, for at most 20 s (a loaded CI machine). */
    private static void drain(SlowSink sink, SseClient client, int expectedSends) throws InterruptedException {
        for (int i = 0; i < 4000 && (sink.sent().size() < expectedSends || !sink.pending.isEmpty()); i++) {
            sink.releaseAll();
            Thread.sleep(5);
        }
    }

    @Test
    void eventsLeaveInOrderWithTheirSeqAsIdAndJsonData() throws Exception {
        SlowSink sink = new SlowSink();
        AtomicInteger closedCalls = new AtomicInteger();
        SseClient c = new SseClient(sink, new SseImpl(), new ObjectMapper(), executor, null, 16, closedCalls::incrementAndGet);
        for (long s = 1; s <= 5; s++) c.accept(ev(s, "event"));
        drain(sink, c, 5);
        List<OutboundSseEvent> sent = sink.sent();
        assertEquals(List.of("1", "2", "3", "4", "5"), sent.stream().map(OutboundSseEvent::getId).toList());
        Map<?, ?> body = new ObjectMapper().readValue((String) sent.get(2).getData(), Map.class);
        assertEquals(3, body.get("seq"));
        assertEquals("job1", body.get("jobId"));
        assertEquals("event", body.get("type"));
        assertEquals(Map.of("n", 3), body.get("data"));
        assertEquals(0, closedCalls.get(), "a client that keeps up stays open");
    }

    @Test
    void typeFilterPassesOnlyTheAskedTypes() throws Exception {
        SlowSink sink = new SlowSink();
        SseClient c = new SseClient(sink, new SseImpl(), new ObjectMapper(), executor, Set.of("job"), 16, () -> { });
        c.accept(ev(1, "event"));
        c.accept(ev(2, "job"));
        c.accept(ev(3, "caption"));
        c.accept(ev(4, "job"));
        drain(sink, c, 2);
        assertEquals(List.of("2", "4"), sink.sent().stream().map(OutboundSseEvent::getId).toList());
    }

    @Test
    void aSlowClientGetsWhatWasQueuedThenAnOverflowEventAndIsClosedWithoutAGap() throws Exception {
        SlowSink sink = new SlowSink();
        AtomicInteger closedCalls = new AtomicInteger();
        SseClient c = new SseClient(sink, new SseImpl(), new ObjectMapper(), executor, null, 4, closedCalls::incrementAndGet);
        // Nothing is released yet: event 1 is in flight, 2..5 fill the queue of 4, 6 overflows, 7 must not slip in.
        c.accept(ev(1, "event"));
        for (int i = 0; i < 4000 && sink.sent().isEmpty(); i++) Thread.sleep(5);
        for (long s = 2; s <= 7; s++) c.accept(ev(s, "event"));
        drain(sink, c, 6);
        List<OutboundSseEvent> sent = sink.sent();
        List<String> ids = sent.stream().filter(e -> e.getName() == null).map(OutboundSseEvent::getId).toList();
        assertEquals(List.of("1", "2", "3", "4", "5"), ids, "everything queued goes out, nothing after the first drop");
        OutboundSseEvent last = sent.get(sent.size() - 1);
        assertEquals("overflow", last.getName());
        assertTrue(((String) last.getData()).contains("\"lastEventId\":5"), (String) last.getData());
        assertTrue(sink.isClosed(), "the stream is closed so EventSource reconnects with Last-Event-ID 5");
        assertEquals(1, closedCalls.get());
        c.accept(ev(8, "event"));
        Thread.sleep(20);
        assertEquals(sent.size(), sink.sent().size(), "a closed client takes nothing more");
    }

    @Test
    void aFailedWriteClosesTheClientAndUnsubscribes() throws Exception {
        AtomicBoolean unsubscribed = new AtomicBoolean();
        SlowSink sink = new SlowSink() {
            @Override
            public synchronized CompletionStage<?> send(OutboundSseEvent event) {
                return CompletableFuture.failedFuture(new java.io.IOException("connection reset"));
            }
        };
        AtomicInteger closedCalls = new AtomicInteger();
        SseClient c = new SseClient(sink, new SseImpl(), new ObjectMapper(), executor, null, 4, closedCalls::incrementAndGet);
        c.subscribed(() -> unsubscribed.set(true));
        c.accept(ev(1, "event"));
        for (int i = 0; i < 4000 && !c.isClosed(); i++) Thread.sleep(5);
        assertTrue(c.isClosed());
        assertTrue(unsubscribed.get(), "the tracker subscription is released");
        assertEquals(1, closedCalls.get());
    }
}
