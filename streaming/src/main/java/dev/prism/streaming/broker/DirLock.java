package dev.prism.streaming.broker;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a data directory, taken before Kafka sees it: Kafka itself reacts to a
 * second broker on the same directory by exiting the whole JVM, which inside Prism would take the
 * service down with no message.
 */
final class DirLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private DirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static DirLock acquire(Path dir, String name) {
        FileChannel ch = null;
        try {
            Files.createDirectories(dir);
            ch = FileChannel.open(dir.resolve(name), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l = ch.tryLock();
            if (l == null) {
                throw new OverlappingFileLockException();
            }
            return new DirLock(ch, l);
        } catch (OverlappingFileLockException e) {
            closeQuietly(ch);
            throw new BrokerException("the embedded Kafka data in " + dir + " is in use by another broker (this or"
                    + " another process). Point prism.kafka.bootstrap at that broker, or use another data directory.");
        } catch (IOException e) {
            closeQuietly(ch);
            throw new BrokerException("cannot use " + dir + " for embedded Kafka data: " + e.getMessage()
                    + ". Check that it is a writable directory.", e);
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing held yet
            }
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // released with the channel below
        }
        closeQuietly(channel);
    }
}
