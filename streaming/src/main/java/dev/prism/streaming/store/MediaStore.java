package dev.prism.streaming.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Claim-check store for large payloads (uploads, PCM, frames): events carry the returned reference,
 * the bytes live here. Local directory by default; an object store implements the same interface.
 * References are {@code jobId/name}; names may contain '/' to form sub-folders.
 */
public interface MediaStore {
    /**
     * Streams {@code data} into the store, never holding it whole in memory. Past {@code maxBytes}
     * it stops reading, deletes the partial file and throws {@link PayloadTooLargeException}.
     * Readers never see a partial file: it appears complete or not at all.
     */
    String put(String jobId, String name, InputStream data, long maxBytes) throws IOException;

    /** Idempotent overwrite (a re-run handler writes the same bytes again). */
    String put(String jobId, String name, byte[] data) throws IOException;

    InputStream open(String ref) throws IOException;

    /** For FFmpeg, when local; null otherwise. */
    Path localPath(String ref);

    boolean exists(String ref);

    /** The references of a job's payloads, sorted; empty for an unknown job. */
    List<String> list(String jobId);

    void deleteJob(String jobId) throws IOException;

    /** Deletes finished jobs (see {@link #markFinished}) finished longer ago than {@code retention}; returns how many. */
    int cleanup(Duration retention);

    void markFinished(String jobId) throws IOException;
}
