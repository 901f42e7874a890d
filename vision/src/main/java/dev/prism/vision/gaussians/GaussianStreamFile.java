package dev.prism.vision.gaussians;

import dev.prism.codecs.gaussian.GaussianStreamException;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The job's {@code gaussians/stream.qgs}: magic "PGS1", then per frame i64 pts (microseconds), i32 record length,
 * the record (self-describing, see {@link dev.prism.codecs.gaussian.QueenDecoder}).
 */
public final class GaussianStreamFile {
    static final int MAGIC = 0x50475331;

    private GaussianStreamFile() {
    }

    /** One stored record. */
    public record Entry(long ptsMicros, byte[] record) {
    }

    /** Appends records to a new file. */
    public static final class Writer implements AutoCloseable {
        private final DataOutputStream out;

        public Writer(Path file) {
            try {
                OutputStream os = Files.newOutputStream(file);
                out = new DataOutputStream(new BufferedOutputStream(os, 1 << 16));
                out.writeInt(MAGIC);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create Gaussian stream file " + file, e);
            }
        }

        public void append(long ptsMicros, byte[] record) {
            try {
                out.writeLong(ptsMicros);
                out.writeInt(record.length);
                out.write(record);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot append to the Gaussian stream file", e);
            }
        }

        @Override
        public void close() {
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close the Gaussian stream file", e);
            }
        }
    }

    public static List<Entry> readAll(Path file) {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Gaussian stream file " + file, e);
        }
        ByteBuffer b = ByteBuffer.wrap(all);
        if (all.length < 4 || b.getInt() != MAGIC) throw new GaussianStreamException(file + " is not a Prism Gaussian stream file (no PGS1 magic)");
        List<Entry> out = new ArrayList<>();
        while (b.hasRemaining()) {
            if (b.remaining() < 12) throw new GaussianStreamException(file + " is truncated at byte " + b.position() + " (partial entry header)");
            long pts = b.getLong();
            int len = b.getInt();
            if (len < 0 || len > b.remaining()) throw new GaussianStreamException(file + " entry at byte " + (b.position() - 12) + " declares " + len + " bytes but " + b.remaining() + " remain");
            byte[] r = new byte[len];
            b.get(r);
            out.add(new Entry(pts, r));
        }
        return out;
    }
}
