package dev.prism.deploy.dashboard;

import dev.prism.deploy.PrismRuntime;
import dev.prism.deploy.api.ApiException;
import dev.prism.deploy.jobs.JobState;
import dev.prism.streaming.store.MediaStore;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The job's uploaded media for the dashboard's player, with single-range requests so the player can seek. */
@Path("/v1/jobs/{id}/media")
@Blocking
public class MediaResource {

    static final String STORE_SCHEME = "store:";

    @Inject
    PrismRuntime runtime;

    /**
     * What the player can expect, answered with 200 even for a job the tracker has not folded in yet
     * ({@code known: false}), so a page opened right after its upload does not trip over a 404.
     */
    @GET
    @Path("info")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Whether the job's media can be played from this server, its type and size")
    public Map<String, Object> info(@PathParam("id") String id) throws IOException {
        if (!runtime.isStarted()) throw new ApiException(503, "Prism's backbone is not running in this process");
        JobState s = runtime.tracker().get(id);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        if (s == null || s.request == null || s.state == JobState.State.DELETED) {
            m.put("known", false);
            m.put("available", false);
            m.put("reason", "no job '" + id + "' (yet): a job appears here moments after it is accepted");
            return m;
        }
        m.put("known", true);
        MediaStore store = runtime.backbone().store();
        String ref = storedRef(s);
        boolean stored = ref != null && store.exists(ref);
        m.put("available", stored);
        if (stored) {
            m.put("type", contentType(store, ref));
            java.nio.file.Path file = store.localPath(ref);
            if (file != null) m.put("size", Files.size(file));
            m.put("url", "/v1/jobs/" + id + "/media");
        } else {
            m.put("reason", "this job's media is not stored here (it came from " + s.request.source() + ", or was deleted)");
        }
        return m;
    }

    @GET
    @Produces(MediaType.WILDCARD)
    @Operation(summary = "The job's uploaded media (supports Range: bytes=a-b)")
    public Response media(@PathParam("id") String id, @HeaderParam("Range") String range) throws IOException {
        JobState s = DashboardJobs.require(runtime, id);
        MediaStore store = runtime.backbone().store();
        String ref = storedRef(s);
        if (ref == null || !store.exists(ref)) {
            throw new ApiException(404, "job '" + id + "' has no stored upload (its media came from a source URI or was deleted)");
        }
        java.nio.file.Path file = store.localPath(ref);
        String type = contentType(store, ref);
        if (file == null) {
            // Object stores: no random access here, so the whole stream without Range support.
            InputStream in = store.open(ref);
            return Response.ok((StreamingOutput) out -> {
                try (in) {
                    in.transferTo(out);
                }
            }, type).build();
        }
        long size = Files.size(file);
        ByteRange r = ByteRange.parse(range, size);
        if (r == null) {
            return Response.ok(copy(file, 0, size), type).header("Accept-Ranges", "bytes")
                    .header("Content-Length", size).build();
        }
        if (!r.satisfiable()) {
            return Response.status(416).header("Content-Range", "bytes */" + size)
                    .type(MediaType.APPLICATION_JSON)
                    .entity(Map.of("status", 416, "error", "range '" + range + "' lies outside the "
                            + size + "-byte media")).build();
        }
        return Response.status(206).entity(copy(file, r.start(), r.length())).type(type)
                .header("Accept-Ranges", "bytes").header("Content-Length", r.length())
                .header("Content-Range", "bytes " + r.start() + "-" + r.end() + "/" + size).build();
    }

    /** The media store reference of an uploaded job's media ("store:REF" sources); null for URI sources. */
    static String storedRef(JobState s) {
        String src = s.request.source();
        return src != null && src.startsWith(STORE_SCHEME) ? src.substring(STORE_SCHEME.length()) : null;
    }

    private static StreamingOutput copy(java.nio.file.Path file, long start, long length) {
        return (OutputStream out) -> {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                WritableByteChannel dst = Channels.newChannel(out);
                ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
                long pos = start;
                long left = length;
                while (left > 0) {
                    buf.clear().limit((int) Math.min(buf.capacity(), left));
                    int n = ch.read(buf, pos);
                    if (n < 0) break;
                    buf.flip();
                    while (buf.hasRemaining()) dst.write(buf);
                    pos += n;
                    left -= n;
                }
            }
        };
    }

    /** The MIME type from the file's first bytes (the upload was already sniffed when it was accepted). */
    static String contentType(MediaStore store, String ref) throws IOException {
        byte[] h;
        try (InputStream in = store.open(ref)) {
            h = in.readNBytes(16);
        }
        if (h.length >= 12 && h[4] == 'f' && h[5] == 't' && h[6] == 'y' && h[7] == 'p') {
            return h[8] == 'q' && h[9] == 't' ? "video/quicktime" : "video/mp4";
        }
        if (h.length >= 4 && (h[0] & 0xff) == 0x1a && (h[1] & 0xff) == 0x45 && (h[2] & 0xff) == 0xdf && (h[3] & 0xff) == 0xa3) return "video/webm";
        if (h.length >= 12 && h[0] == 'R' && h[1] == 'I' && h[2] == 'F' && h[3] == 'F') {
            return h[8] == 'W' && h[9] == 'A' && h[10] == 'V' ? "audio/wav" : "video/x-msvideo";
        }
        if (h.length >= 4 && h[0] == 'O' && h[1] == 'g' && h[2] == 'g' && h[3] == 'S') return "audio/ogg";
        if (h.length >= 4 && h[0] == 'f' && h[1] == 'L' && h[2] == 'a' && h[3] == 'C') return "audio/flac";
        if (h.length >= 3 && h[0] == 'I' && h[1] == 'D' && h[2] == '3') return "audio/mpeg";
        if (h.length >= 2 && (h[0] & 0xff) == 0xff && (h[1] & 0xf6) == 0xf0) return "audio/aac";
        if (h.length >= 2 && (h[0] & 0xff) == 0xff && (h[1] & 0xe0) == 0xe0) return "audio/mpeg";
        if (h.length >= 1 && h[0] == 0x47) return "video/mp2t";
        return MediaType.APPLICATION_OCTET_STREAM;
    }
}
