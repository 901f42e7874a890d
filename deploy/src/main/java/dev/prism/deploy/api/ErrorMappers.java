package dev.prism.deploy.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error leaves as JSON {"status", "error"}; nothing leaks a stack trace. */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response api(ApiException e) {
        return json(e.status(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        return json(status, e.getMessage() == null ? Response.Status.fromStatusCode(status).getReasonPhrase() : e.getMessage());
    }

    @ServerExceptionMapper
    public Response other(RuntimeException e) {
        LOG.error("unexpected error serving a request", e);
        return json(500, "internal error: " + e.getMessage());
    }

    static Response json(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("status", status, "error", message)).build();
    }
}
