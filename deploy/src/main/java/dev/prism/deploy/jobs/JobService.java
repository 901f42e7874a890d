package dev.prism.deploy.jobs;

import dev.prism.deploy.PrismRuntime;
import dev.prism.deploy.api.ApiException;
import dev.prism.deploy.backbone.Backbone;
import dev.prism.deploy.config.PrismConfig;
import dev.prism.ingest.MediaException;
import dev.prism.ingest.source.ContainerType;
import dev.prism.ingest.source.MediaSniffer;
import dev.prism.streaming.events.JobEvent;
import dev.prism.streaming.events.JobRequest;
import dev.prism.streaming.store.PayloadTooLargeException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Accepts jobs from the API and the CLI: stores uploads (streamed), checks sources, publishes to prism.jobs. */
@ApplicationScoped
public class JobService {

    @Inject
    PrismRuntime runtime;
    @Inject
    PrismConfig config;

    public static String newJobId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    /** An upload: streamed into the store, then sniffed; nothing is kept when it is refused. */
    public JobRequest submitUpload(InputStream body, String fileName, JobOptions options) {
        JobOptions o = validate(options);
        Backbone bb = backbone();
        String id = newJobId();
        String ref;
        BufferedInputStream in = new BufferedInputStream(body, 64 * 1024);
        try {
            in.mark(4096);
            byte[] head = in.readNBytes(4096);
            in.reset();
            if (head.length == 0) {
                throw new ApiException(400, "the upload" + name(fileName) + " is empty: send a video or audio file");
            }
            Optional<ContainerType> type = MediaSniffer.sniff(head);
            if (type.isEmpty()) {
                throw new ApiException(415, "the upload" + name(fileName) + " is not a media file Prism recognises"
                        + " (checked by content, not by name): send MP4, MOV, MKV, WebM, AVI, MPEG-TS, MP3, AAC, WAV, FLAC or OGG");
            }
            ref = bb.store().put(id, "upload", in, config.limits().maxUploadBytes());
        } catch (PayloadTooLargeException e) {
            deleteQuietly(id);
            throw new ApiException(413, "the upload" + name(fileName) + " is larger than the limit of "
                    + config.limits().maxUploadBytes() + " bytes (prism.limits.max-upload-bytes)");
        } catch (IOException e) {
            deleteQuietly(id);
            throw new ApiException(400, "the upload" + name(fileName) + " could not be read: " + e.getMessage());
        }
        return publish(id, "store:" + ref, fileName, o);
    }

    /** A file:// or http(s):// source, checked against the source rules before anything is queued. */
    public JobRequest submitUri(String source, JobOptions options) {
        JobOptions o = validate(options);
        if (source == null || source.isBlank()) {
            throw new ApiException(400, "the job has no source: upload a file or give {\"source\": \"https://...\"}");
        }
        URI uri;
        try {
            uri = URI.create(source.trim());
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "source '" + source + "' is not a valid URI: " + e.getMessage());
        }
        try {
            Sources.policy(config).resolve(uri);
        } catch (MediaException e) {
            throw new ApiException(e.kind() == MediaException.Kind.FORBIDDEN ? 403 : 400, e.getMessage());
        }
        return publish(newJobId(), uri.toString(), uri.getPath(), o);
    }

    private JobRequest publish(String id, String source, String name, JobOptions o) {
        JobRequest job = new JobRequest(id, source, name, o.tasks(), o.frameRate(), o.segmentSeconds(), o.prompt(),
                Map.of(), System.currentTimeMillis());
        Backbone bb = backbone();
        bb.publish(bb.topics().events(), JobEvent.of(id, "api", JobEvent.Kind.ACCEPTED, "accepted " + name));
        bb.publish(bb.topics().jobs(), job);
        runtime.tracker().published(job);
        return job;
    }

    public boolean delete(String jobId) {
        JobState s = runtime.tracker().get(jobId);
        if (s == null || s.state == JobState.State.DELETED) return false;
        Backbone bb = backbone();
        JobEvent deleted = JobEvent.of(jobId, "api", JobEvent.Kind.DELETED, "deleted by request");
        bb.publish(bb.topics().events(), deleted);
        runtime.tracker().published(deleted);
        deleteQuietly(jobId);
        return true;
    }

    private JobOptions validate(JobOptions options) {
        try {
            return (options == null ? new JobOptions(null, null, null, null) : options).validated();
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, e.getMessage());
        }
    }

    private Backbone backbone() {
        if (!runtime.isStarted()) throw new ApiException(503, "Prism's backbone is not running in this process");
        return runtime.backbone();
    }

    private void deleteQuietly(String id) {
        try {
            runtime.backbone().store().deleteJob(id);
        } catch (IOException ignored) {
            // nothing stored yet
        }
    }

    private static String name(String fileName) {
        return fileName == null || fileName.isBlank() ? "" : " '" + fileName + "'";
    }
}
