package dev.prism.deploy.dashboard;

import dev.prism.deploy.PrismRuntime;
import dev.prism.deploy.api.ApiException;
import dev.prism.deploy.jobs.JobState;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Decoded frames of a job's 3D Gaussian stream for the dashboard's WebGL view, in the little-endian batch
 * format {@link SplatBatch} writes. A job without stored frames answers an empty batch (total 0), which the
 * page shows as "no 3D stream for this job".
 */
@Path("/v1/jobs/{id}/gaussians/frames")
@Blocking
public class GaussianFramesResource {

    static final int MAX_LIMIT = 64;

    @Inject
    PrismRuntime runtime;

    @GET
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @Operation(summary = "Decoded Gaussian frames from index 'from' (at most 'limit'), as a binary batch for the 3D view")
    public Response frames(@PathParam("id") String id, @QueryParam("from") @DefaultValue("0") int from,
                           @QueryParam("limit") @DefaultValue("8") int limit) throws IOException {
        JobState s = DashboardJobs.require(runtime, id);
        if (from < 0) throw new ApiException(400, "'from' must be a frame index >= 0, got " + from);
        if (limit < 1 || limit > MAX_LIMIT) throw new ApiException(400, "'limit' must be 1.." + MAX_LIMIT + ", got " + limit);
        List<String> refs = SplatFrames.storedFrames(runtime.backbone().store(), s.jobId);
        byte[] body = SplatFrames.decode(runtime.backbone().store(), refs, from, limit);
        return Response.ok(body, MediaType.APPLICATION_OCTET_STREAM).header("Cache-Control", "no-store").build();
    }
}
