package dev.prism.streaming.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalMediaStoreTest {
    @TempDir
    Path root;

    /** An endless stream that counts what was read, to prove the store stops reading at the limit. */
    private static final class Endless extends InputStream {
        long read;

        @Override
        public int read() {
            read++;
            return 7;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            java.util.Arrays.fill(b, off, off + len, (byte) 7);
            read += len;
            return len;
        }
    }

    @Test
    void streamedPutRoundTripsBytesAndOverwritesIdempotently() throws IOException {
        LocalMediaStore store = new LocalMediaStore(root);
        byte[] data = new byte[300_000];
        new Random(1).nextBytes(data);
        String ref = store.put("job-1", "upload.mp4", new java.io.ByteArrayInputStream(data), data.length);
        assertEquals("job-1/upload.mp4", ref);
        try (InputStream in = store.open(ref)) {
            assertArrayEquals(data, in.readAllBytes());
        }
        assertEquals(root.resolve("job-1/upload.mp4"), store.localPath(ref));
        store.put("job-1", "frames/000001.raw", new byte[] {1, 2, 3});
        store.put("job-1", "frames/000001.raw", new byte[] {4, 5});
        try (InputStream in = store.open("job-1/frames/000001.raw")) {
            assertArrayEquals(new byte[] {4, 5}, in.readAllBytes());
        }
        assertEquals(List.of("job-1/frames/000001.raw", "job-1/upload.mp4"), store.list("job-1"));
        assertTrue(store.list("job-2").isEmpty());
    }

    @Test
    void payloadPastTheLimitIsRefusedWhileStreamingAndLeavesNothingBehind() throws IOException {
        LocalMediaStore store = new LocalMediaStore(root);
        Endless endless = new Endless();
        PayloadTooLargeException e = assertThrows(PayloadTooLargeException.class,
                () -> store.put("job-big", "upload.bin", endless, 1_000_000));
        assertTrue(e.getMessage().contains("job-big/upload.bin"), e.getMessage());
        assertEquals(1_000_000, e.limit());
        assertTrue(endless.read < 1_000_000 + 128 * 1024, "stopped reading soon after the limit: " + endless.read);
        assertFalse(store.exists("job-big/upload.bin"));
        try (Stream<Path> left = Files.walk(root)) {
            assertEquals(0, left.filter(Files::isRegularFile).count(), "partial temp file deleted");
        }
        // Exactly at the limit is fine.
        store.put("job-big", "exact.bin", new java.io.ByteArrayInputStream(new byte[1000]), 1000);
        assertTrue(store.exists("job-big/exact.bin"));
    }

    @Test
    void namesThatCouldEscapeTheRootAreRefused() {
        LocalMediaStore store = new LocalMediaStore(root);
        for (String bad : List.of("../escape", "a/../../x", "/etc/passwd", ".hidden", "a//b", "a/./b", "", "dir/")) {
            assertThrows(IllegalArgumentException.class, () -> store.put("job", bad, new byte[1]), bad);
        }
        for (String badJob : List.of("..", "../x", "a/b", ".", "")) {
            assertThrows(IllegalArgumentException.class, () -> store.put(badJob, "f", new byte[1]), badJob);
        }
        assertThrows(IllegalArgumentException.class, () -> store.open("no-slash"));
        assertThrows(IllegalArgumentException.class, () -> store.exists("job/../../etc/passwd"));
        assertThrows(NoSuchFileException.class, () -> store.open("job/missing"));
    }

    @Test
    void cleanupDeletesOnlyFinishedJobsOlderThanRetention() throws IOException {
        LocalMediaStore store = new LocalMediaStore(root);
        store.put("old-done", "a.bin", new byte[10]);
        store.put("new-done", "a.bin", new byte[10]);
        store.put("old-running", "a.bin", new byte[10]);
        store.markFinished("old-done");
        store.markFinished("new-done");
        Files.setLastModifiedTime(root.resolve("old-done/.finished"), FileTime.from(Instant.now().minus(Duration.ofDays(3))));
        Files.setLastModifiedTime(root.resolve("old-running/a.bin"), FileTime.from(Instant.now().minus(Duration.ofDays(3))));

        assertEquals(1, store.cleanup(Duration.ofDays(1)));
        assertFalse(Files.exists(root.resolve("old-done")));
        assertTrue(store.exists("new-done/a.bin"));
        assertTrue(store.exists("old-running/a.bin"), "unfinished jobs are never cleaned up");
        assertEquals(List.of("new-done/a.bin"), store.list("new-done"), "the marker is not a payload");
        store.deleteJob("new-done");
        assertFalse(store.exists("new-done/a.bin"));
        store.deleteJob("never-existed");
    }
}
