package dev.prism.deploy.api;

import dev.prism.deploy.PrismRuntime;
import dev.prism.deploy.jobs.JobOptions;
import dev.prism.deploy.jobs.JobService;
import dev.prism.deploy.jobs.JobState;
import dev.prism.deploy.jobs.JobViews;
import dev.prism.streaming.events.JobRequest;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/** The job API: submit (upload, raw body or source URI), list, inspect, fetch results, delete. */
@Path("/v1/jobs")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class JobResource {

    @Inject
    JobService jobs;
    @Inject
    PrismRuntime runtime;
    @Inject
    dev.prism.deploy.config.PrismConfig config;

    public record SubmitJson(String source, List<String> tasks, Double frameRate, Double segmentSeconds, String prompt) {
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Submit a job by multipart upload (field 'file'; optional fields tasks, frameRate, segmentSeconds, prompt)")
    public Response upload(@RestForm("file") FileUpload file, @RestForm String tasks, @RestForm Double frameRate,
                           @RestForm Double segmentSeconds, @RestForm String prompt) throws IOException {
        if (file == null) {
            throw new ApiException(400, "multipart upload has no 'file' field: send the media as form field 'file'");
        }
        try (InputStream in = Files.newInputStream(file.uploadedFile())) {
            return accepted(jobs.submitUpload(in, file.fileName(), JobOptions.parse(tasks, frameRate, segmentSeconds, prompt)));
        } finally {
            Files.deleteIfExists(file.uploadedFile());
        }
    }

    @POST
    @Consumes({MediaType.APPLICATION_OCTET_STREAM, "video/*", "audio/*"})
    @Operation(summary = "Submit a job with the media as the raw request body; options as query parameters")
    public Response raw(InputStream body, @HeaderParam("X-File-Name") String fileName, @QueryParam("tasks") String tasks,
                        @QueryParam("frameRate") Double frameRate, @QueryParam("segmentSeconds") Double segmentSeconds,
                        @QueryParam("prompt") String prompt) {
        return accepted(jobs.submitUpload(body, fileName, JobOptions.parse(tasks, frameRate, segmentSeconds, prompt)));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit a job whose media is at a file:// or http(s):// URI")
    public Response fromSource(SubmitJson body) {
        if (body == null) throw new ApiException(400, "empty JSON body: send {\"source\": \"https://...\"}");
        return accepted(jobs.submitUri(body.source(),
                new JobOptions(body.tasks(), body.frameRate(), body.segmentSeconds(), body.prompt())));
    }

    public record AskJson(String question, Integer segment, Double deadlineMs) {
    }

    @POST
    @Path("{id}/ask")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Answer a follow-up question about the job's video from its cached (CacheGen-encoded) context")
    public Map<String, Object> ask(@PathParam("id") String id, AskJson body) throws IOException {
        JobState s = job(id);
        if (body == null || body.question() == null || body.question().isBlank()) {
            throw new ApiException(400, "send {\"question\": \"...\"}");
        }
        if (!s.request.wants("captions")) throw new ApiException(409, "job '" + id + "' did not ask for captions, so it has no video context");
        try {
            return dev.prism.deploy.stages.FollowUps.answer(runtime.backbone().store(),
                    runtime.stages().services().captioner().get(), id, body.segment() == null ? -1 : body.segment(), body.question(),
                    body.deadlineMs(), dev.prism.deploy.stages.FollowUps.AskSettings.of(config.ask()));
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, e.getMessage());
        } catch (IllegalStateException e) {
            throw new ApiException(409, e.getMessage());
        }
    }

    private static Response accepted(JobRequest job) {
        return Response.status(202).entity(Map.of("id", job.jobId(), "state", "queued", "tasks", job.tasks(),
                "links", Map.of("self", "/v1/jobs/" + job.jobId(), "events", "/v1/jobs/" + job.jobId() + "/events"))).build();
    }

    @GET
    @Operation(summary = "All jobs, newest first")
    public List<Map<String, Object>> list() {
        return runtime.tracker().all().stream().map(JobViews::summary).toList();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "A job's state, per-stage progress, errors and result links")
    public Map<String, Object> get(@PathParam("id") String id) {
        return JobViews.detail(job(id));
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Delete a job and its stored media and results")
    public Response delete(@PathParam("id") String id) {
        if (!jobs.delete(id)) throw new ApiException(404, "no job '" + id + "'");
        return Response.noContent().build();
    }

    @GET
    @Path("{id}/{file: transcript\\.json|transcript\\.srt|transcript\\.vtt|captions\\.json|captions\\.vtt|audio\\.codes|report\\.json}")
    @Produces(MediaType.WILDCARD)
    @Operation(summary = "A result file of a finished job")
    public Response result(@PathParam("id") String id, @PathParam("file") String file) throws IOException {
        JobState s = job(id);
        if (!s.isFinished()) {
            throw new ApiException(409, "job '" + id + "' is " + s.state.name().toLowerCase() + ": results are served once it is done");
        }
        String ref = runtime.backbone().store().list(id).stream().filter(r -> r.endsWith("results/" + file)).findFirst()
                .orElseThrow(() -> new ApiException(404, "job '" + id + "' has no " + file + missingWhy(s, file)));
        InputStream in = runtime.backbone().store().open(ref);
        return Response.ok(in, contentType(file)).build();
    }

    @GET
    @Path("{id}/codec.wav")
    @Produces("audio/wav")
    @Operation(summary = "The job's audio reconstructed from its codec tokens (audio.codes decoded), 24 kHz WAV")
    public Response codecWav(@PathParam("id") String id) throws IOException {
        JobState s = job(id);
        if (!s.isFinished() || !s.request.wants("codec") || !s.taskStatus("codec").equals("done")) {
            throw new ApiException(404, "job '" + id + "' has no finished codec stream" + missingWhy(s, "audio.codes"));
        }
        var store = runtime.backbone().store();
        byte[] codes;
        try (InputStream in = store.open(id + "/results/audio.codes")) {
            codes = in.readAllBytes();
        }
        java.nio.file.Path cache = runtime.backbone().dataDir().resolve("cache").resolve("codec");
        try {
            var neural = config.codec().modelDir();
            if (neural.isPresent()) {
                try (var m = dev.prism.audio.codec.OnnxLatentModel.load(
                        dev.prism.deploy.stages.CodecStage.neuralModelDir(neural.get(), cache))) {
                    var pcm = dev.prism.audio.codec.NeuralCodecs.decoder(m, cache).decodeAll(codes);
                    return Response.ok(dev.prism.codecs.io.WavIO.toBytes(pcm, false), "audio/wav").build();
                }
            }
            var pcm = new dev.prism.codecs.CodecDecoder(h -> dev.prism.codecs.CodecFiles.resolve(h, null, cache)).decodeAll(codes);
            return Response.ok(dev.prism.codecs.io.WavIO.toBytes(pcm, false), "audio/wav").build();
        } catch (dev.prism.codecs.bitstream.CodesFormatException e) {
            throw new ApiException(422, "job '" + id + "': audio.codes cannot be decoded: " + e.getMessage());
        }
    }

    private static String missingWhy(JobState s, String file) {
        String task = file.startsWith("transcript") ? "transcript" : file.startsWith("captions") ? "captions"
                : file.startsWith("audio") ? "codec" : null;
        if (task == null || s.request == null) return "";
        if (!s.request.wants(task)) return " (the job did not ask for task '" + task + "')";
        return " (task '" + task + "' is " + s.taskStatus(task) + ")";
    }

    static String contentType(String file) {
        if (file.endsWith(".json")) return MediaType.APPLICATION_JSON;
        if (file.endsWith(".vtt")) return "text/vtt; charset=utf-8";
        if (file.endsWith(".srt")) return "application/x-subrip; charset=utf-8";
        return MediaType.APPLICATION_OCTET_STREAM;
    }

    private JobState job(String id) {
        JobState s = runtime.tracker().get(id);
        if (s == null || s.request == null || s.state == JobState.State.DELETED) {
            throw new ApiException(404, "no job '" + id + "': list jobs with GET /v1/jobs");
        }
        return s;
    }
}
