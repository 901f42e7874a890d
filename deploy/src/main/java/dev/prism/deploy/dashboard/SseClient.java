package dev.prism.deploy.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prism.deploy.jobs.LiveEvent;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One browser's event stream. The tracker calls {@link #accept} on its own thread, so that only offers to a
 * bounded queue; sending happens one event at a time on the hub's executor. When the queue is full the client
 * is too slow: it takes no further events (a later one would leave a gap), gets what is queued, then a final
 * {@code overflow} event, and the stream closes. EventSource then reconnects by itself with Last-Event-ID and
 * the replay resumes exactly after the last event it received.
 */
final class SseClient implements Consumer<LiveEvent> {

    /** A queue entry that sends an SSE comment: keeps proxies from timing out and detects vanished clients. */
    static final LiveEvent HEARTBEAT = new LiveEvent(-1, null, "heartbeat", null);

    private final SseEventSink sink;
    private final Sse sse;
    private final ObjectMapper json;
    private final Executor executor;
    private final Set<String> types;
    private final ArrayBlockingQueue<LiveEvent> queue;
    private final AtomicBoolean sending = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Runnable onClose;
    private volatile boolean overflowed;
    private volatile AutoCloseable subscription;
    private volatile long lastSent;

    SseClient(SseEventSink sink, Sse sse, ObjectMapper json, Executor executor, Set<String> types, int capacity, Runnable onClose) {
        this.sink = sink;
        this.sse = sse;
        this.json = json;
        this.executor = executor;
        this.types = types;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.onClose = onClose;
    }

    @Override
    public void accept(LiveEvent e) {
        if (closed.get() || overflowed) return;
        if (e != HEARTBEAT && types != null && !types.contains(e.type())) return;
        if (!queue.offer(e)) {
            overflowed = true;
        }
        pump();
    }

    void heartbeat() {
        if (sink.isClosed()) close();
        else accept(HEARTBEAT);
    }

    void subscribed(AutoCloseable handle) {
        subscription = handle;
        if (closed.get()) unsubscribe();
    }

    boolean isClosed() {
        return closed.get();
    }

    private void pump() {
        if (sending.compareAndSet(false, true)) {
            executor.execute(this::sendNext);
        }
    }

    private void sendNext() {
        if (closed.get()) return;
        if (sink.isClosed()) {
            close();
            return;
        }
        LiveEvent e = queue.poll();
        if (e == null) {
            if (overflowed) {
                sendOverflowAndClose();
                return;
            }
            sending.set(false);
            if (!queue.isEmpty()) pump();
            return;
        }
        OutboundSseEvent out;
        try {
            out = e == HEARTBEAT ? sse.newEventBuilder().comment("keep-alive").build() : event(e);
        } catch (JsonProcessingException ex) {
            out = sse.newEventBuilder().id(Long.toString(e.seq())).name("unreadable")
                    .data(String.class, "{\"seq\":" + e.seq() + ",\"error\":\"event could not be serialised\"}").build();
        }
        long seq = e.seq();
        sink.send(out).whenComplete((v, err) -> {
            if (err != null) {
                close();
            } else {
                if (seq > 0) lastSent = seq;
                executor.execute(this::sendNext);
            }
        });
    }

    private OutboundSseEvent event(LiveEvent e) throws JsonProcessingException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("seq", e.seq());
        body.put("jobId", e.jobId());
        body.put("type", e.type());
        body.put("data", e.data());
        return sse.newEventBuilder().id(Long.toString(e.seq())).mediaType(MediaType.TEXT_PLAIN_TYPE)
                .data(String.class, json.writeValueAsString(body)).build();
    }

    private void sendOverflowAndClose() {
        String msg = "{\"reason\":\"this client reads slower than events arrive; reconnect with Last-Event-ID "
                + lastSent + " to resume\",\"lastEventId\":" + lastSent + "}";
        // Ask EventSource to wait a moment before it reconnects, so a slow client is not hammered.
        OutboundSseEvent out = sse.newEventBuilder().name("overflow").reconnectDelay(1000)
                .data(String.class, msg).build();
        sink.send(out).whenComplete((v, err) -> close());
    }

    void close() {
        if (!closed.compareAndSet(false, true)) return;
        unsubscribe();
        queue.clear();
        try {
            sink.close();
        } catch (RuntimeException ignored) {
            // already gone
        }
        onClose.run();
    }

    private void unsubscribe() {
        AutoCloseable s = subscription;
        if (s == null) return;
        try {
            s.close();
        } catch (Exception ignored) {
            // the tracker's unsubscribe does not fail
        }
    }
}
