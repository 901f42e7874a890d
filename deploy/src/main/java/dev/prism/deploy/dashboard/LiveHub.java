package dev.prism.deploy.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prism.deploy.PrismRuntime;
import dev.prism.deploy.api.ApiException;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Connects SSE clients to the job tracker: replay after Last-Event-ID, then live events; heartbeats; cleanup. */
@ApplicationScoped
public class LiveHub {

    @Inject
    PrismRuntime runtime;
    @Inject
    ObjectMapper json;
    /**
     * Events queued per client before it counts as too slow. The queue holds references to events the tracker's
     * history already keeps, so the bound caps a client's cost at a few dozen KB; it is above the tracker's
     * per-job history so a job page's replay fits in one go.
     */
    static final int CLIENT_BUFFER = 8192;
    static final int HEARTBEAT_SECONDS = 15;

    private final Set<SseClient> clients = ConcurrentHashMap.newKeySet();
    private ExecutorService sender;
    private ScheduledExecutorService heartbeat;

    @PostConstruct
    void init() {
        sender = Executors.newFixedThreadPool(2, daemon("prism-sse"));
        heartbeat = Executors.newSingleThreadScheduledExecutor(daemon("prism-sse-heartbeat"));
        heartbeat.scheduleWithFixedDelay(() -> clients.forEach(SseClient::heartbeat), HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Streams one job's events (or every job's, when jobId is null) to the sink.
     *
     * @param lastEventId the browser's Last-Event-ID header (or the {@code lastEventId} query parameter); events
     *                    after it are replayed, so a reconnect neither repeats nor skips any
     * @param typesCsv    optional comma-separated event types to pass (for example {@code job,event} for a job list)
     * @param live        when true and no Last-Event-ID is given, skip the history and send only new events
     */
    public void open(String jobId, SseEventSink sink, Sse sse, String lastEventId, String typesCsv, boolean live,
                     RoutingContext http) {
        if (!runtime.isStarted()) {
            throw new ApiException(503, "Prism's backbone is not running in this process, so there are no live events");
        }
        long after = parseLastId(lastEventId, live);
        Set<String> types = typesCsv == null || typesCsv.isBlank() ? null
                : Arrays.stream(typesCsv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
        SseClient[] self = new SseClient[1];
        SseClient client = new SseClient(sink, sse, json, sender, types, CLIENT_BUFFER, () -> clients.remove(self[0]));
        self[0] = client;
        clients.add(client);
        // Unsubscribe as soon as the browser goes away, not only when the next write fails.
        if (http != null) http.addEndHandler(ar -> client.close());
        // The first write commits the response on the request's own thread; only once it is out do replay and live
        // events start, from the sender threads. Sending them while the resource method was still returning could
        // leave a stream that never delivered its replay (seen once in CI as a client waiting forever).
        sink.send(sse.newEventBuilder().comment("prism live events").build()).whenComplete((v, err) -> {
            if (err != null) {
                client.close();
                return;
            }
            sender.execute(() -> client.subscribed(runtime.tracker().subscribe(jobId, after, client)));
        });
    }

    static long parseLastId(String lastEventId, boolean live) {
        if (lastEventId == null || lastEventId.isBlank()) return live ? Long.MAX_VALUE : 0;
        try {
            return Long.parseLong(lastEventId.trim());
        } catch (NumberFormatException e) {
            throw new ApiException(400, "Last-Event-ID '" + lastEventId + "' is not an event id (a number from an earlier event)");
        }
    }

    /** Open streams, for tests and metrics. */
    public int clientCount() {
        return clients.size();
    }

    void onStop(@Observes ShutdownEvent ev) {
        heartbeat.shutdownNow();
        clients.forEach(SseClient::close);
        sender.shutdown();
    }
}
