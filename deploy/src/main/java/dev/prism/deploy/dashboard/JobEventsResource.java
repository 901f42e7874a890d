package dev.prism.deploy.dashboard;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import io.vertx.ext.web.RoutingContext;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** One job's events as Server-Sent Events: its history replays (after Last-Event-ID), then live events follow. */
@Path("/v1/jobs/{id}/events")
public class JobEventsResource {

    @Inject
    LiveHub hub;

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "One job's events: its history replays, then live events follow; ?types= filters")
    public void job(@PathParam("id") String id, @Context SseEventSink sink, @Context Sse sse, @Context RoutingContext http,
                    @HeaderParam("Last-Event-ID") String lastEventId, @QueryParam("lastEventId") String lastEventIdParam,
                    @QueryParam("types") String types) {
        // No existence check: right after a 202 the tracker may not have folded the job yet, and the stream is a filter.
        hub.open(id, sink, sse, lastEventId != null ? lastEventId : lastEventIdParam, types, false, http);
    }
}
