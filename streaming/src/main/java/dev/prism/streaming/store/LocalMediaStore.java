package dev.prism.streaming.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@link MediaStore} on a local directory: {@code root/<jobId>/<name>}. Writes go to a hidden
 * temporary file in the job folder and are moved into place atomically, so a crash mid-write
 * leaves no half file under the real name. Job ids and names are restricted to safe characters
 * and checked to stay inside the root (no "..", no absolute paths).
 */
public final class LocalMediaStore implements MediaStore {
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}");
    private static final String FINISHED = ".finished";
    private static final String TMP_PREFIX = ".tmp-";
    private static final int BUFFER = 64 * 1024;

    private final Path root;

    public LocalMediaStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    @Override
    public String put(String jobId, String name, InputStream data, long maxBytes) throws IOException {
        Path target = resolve(jobId, name);
        Files.createDirectories(target.getParent());
        Path tmp = target.getParent().resolve(TMP_PREFIX + UUID.randomUUID());
        try {
            long written = 0;
            byte[] buf = new byte[BUFFER];
            try (OutputStream out = Files.newOutputStream(tmp)) {
                for (int n; (n = data.read(buf)) != -1; ) {
                    written += n;
                    if (written > maxBytes) {
                        throw new PayloadTooLargeException("payload " + jobId + "/" + name, maxBytes);
                    }
                    out.write(buf, 0, n);
                }
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return jobId + "/" + name;
    }

    @Override
    public String put(String jobId, String name, byte[] data) throws IOException {
        return put(jobId, name, new java.io.ByteArrayInputStream(data), Long.MAX_VALUE);
    }

    @Override
    public InputStream open(String ref) throws IOException {
        Path p = pathOf(ref);
        if (!Files.isRegularFile(p)) {
            throw new NoSuchFileException(p.toString(), null, "no payload stored under reference '" + ref + "'");
        }
        return Files.newInputStream(p);
    }

    @Override
    public Path localPath(String ref) {
        return pathOf(ref);
    }

    @Override
    public boolean exists(String ref) {
        return Files.isRegularFile(pathOf(ref));
    }

    @Override
    public List<String> list(String jobId) {
        Path dir = jobDir(jobId);
        List<String> refs = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return refs;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().startsWith("."))
                    .forEach(f -> refs.add(jobId + "/" + dir.relativize(f).toString().replace('\\', '/')));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("listing job " + jobId + " in " + root + " failed", e);
        }
        refs.sort(null);
        return refs;
    }

    @Override
    public void deleteJob(String jobId) throws IOException {
        Path dir = jobDir(jobId);
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    @Override
    public void markFinished(String jobId) throws IOException {
        Path dir = jobDir(jobId);
        Files.createDirectories(dir);
        Path marker = dir.resolve(FINISHED);
        Files.writeString(marker, Instant.now().toString());
        Files.setLastModifiedTime(marker, FileTime.from(Instant.now()));
    }

    /** Deletes jobs whose finish marker is older than {@code retention}; unfinished jobs are kept. */
    @Override
    public int cleanup(Duration retention) {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        Instant cutoff = Instant.now().minus(retention);
        int deleted = 0;
        try (DirectoryStream<Path> jobs = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path job : jobs) {
                Path marker = job.resolve(FINISHED);
                if (Files.exists(marker) && Files.getLastModifiedTime(marker).toInstant().isBefore(cutoff)) {
                    deleteJob(job.getFileName().toString());
                    deleted++;
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cleaning up " + root + " failed", e);
        }
        return deleted;
    }

    private Path pathOf(String ref) {
        int slash = ref == null ? -1 : ref.indexOf('/');
        if (slash <= 0) {
            throw new IllegalArgumentException("media reference '" + ref + "' is not of the form jobId/name");
        }
        return resolve(ref.substring(0, slash), ref.substring(slash + 1));
    }

    private Path jobDir(String jobId) {
        checkSegment("job id", jobId, jobId);
        return root.resolve(jobId);
    }

    private Path resolve(String jobId, String name) {
        Path dir = jobDir(jobId);
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("payload name of job " + jobId + " is empty");
        }
        for (String segment : name.split("/", -1)) {
            checkSegment("payload name", segment, name);
        }
        Path p = dir.resolve(name).normalize();
        if (!p.startsWith(dir)) {
            throw new IllegalArgumentException("payload name '" + name + "' leaves the job folder");
        }
        return p;
    }

    private static void checkSegment(String what, String segment, String whole) {
        if (segment == null || !SEGMENT.matcher(segment).matches()) {
            throw new IllegalArgumentException(what + " '" + whole + "' is not allowed: use letters, digits, '.', '_'"
                    + " and '-' (not first), up to 200 characters per '/'-separated part");
        }
    }
}
