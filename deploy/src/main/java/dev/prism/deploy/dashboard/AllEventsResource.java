package dev.prism.deploy.dashboard;

import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import io.vertx.ext.web.RoutingContext;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Every job's live events as Server-Sent Events. Each event's id is the tracker's sequence number and its data
 * is {@code {"seq","jobId","type","data"}}; a reconnect with Last-Event-ID resumes right after it.
 */
@Path("/v1/events")
public class AllEventsResource {

    @Inject
    LiveHub hub;

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Every job's live events (history after Last-Event-ID, then live); ?types=job,event filters, ?live=true skips the history")
    public void all(@Context SseEventSink sink, @Context Sse sse, @Context RoutingContext http, @HeaderParam("Last-Event-ID") String lastEventId,
                    @QueryParam("lastEventId") String lastEventIdParam, @QueryParam("types") String types,
                    @QueryParam("live") @DefaultValue("false") boolean live) {
        hub.open(null, sink, sse, lastEventId != null ? lastEventId : lastEventIdParam, types, live, http);
    }
}
