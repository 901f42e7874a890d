package dev.prism.codecs.quant;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Codebook file: magic "PRCB", version 1, id, demo flag, layout (kind, groups, stages, dim, code
 * bits), then per codebook in code order its float32 codewords (big-endian, row-major) and its
 * usage counts. Simple on purpose: readable from any language with a few lines.
 */
public final class CodebookFile {
    private static final int MAGIC = 0x50524342;   // "PRCB"
    private static final int VERSION = 1;

    private CodebookFile() {
    }

    public static void save(CodebookSet set, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream os = Files.newOutputStream(tmp)) {
            write(set, os);
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    public static void write(CodebookSet set, OutputStream os) throws IOException {
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os, 1 << 16));
        VectorQuantizer q = set.quantizer();
        QuantizerLayout l = q.layout();
        out.writeInt(MAGIC);
        out.writeByte(VERSION);
        out.writeUTF(set.id());
        out.writeBoolean(set.demo());
        out.writeByte(l.kind().ordinal());
        out.writeShort(l.groups());
        out.writeShort(l.stages());
        out.writeInt(l.dim());
        out.writeByte(l.codeBits());
        for (int i = 0; i < q.numCodebooks(); i++) {
            for (float f : q.codebook(i).data()) {
                out.writeFloat(f);
            }
            for (int k = 0; k < l.codebookSize(); k++) {
                out.writeLong(set.usage() == null ? 0 : set.usage()[i][k]);
            }
        }
        out.flush();
    }

    public static CodebookSet load(Path file) throws IOException {
        try (InputStream is = Files.newInputStream(file)) {
            return read(is, file.toString());
        } catch (EOFException e) {
            throw new IOException("codebook file " + file + " is truncated; re-run `prism codec train` to recreate it", e);
        }
    }

    public static CodebookSet read(InputStream is, String name) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(is, 1 << 16));
        if (in.readInt() != MAGIC) {
            throw new IOException(name + " is not a Prism codebook file (bad magic at byte 0)");
        }
        int version = in.readUnsignedByte();
        if (version != VERSION) {
            throw new IOException(name + ": codebook file version " + version + " is not supported (expected " + VERSION + ")");
        }
        String id = in.readUTF();
        boolean demo = in.readBoolean();
        int kindOrd = in.readUnsignedByte();
        if (kindOrd >= QuantizerLayout.Kind.values().length) {
            throw new IOException(name + ": unknown quantizer kind " + kindOrd);
        }
        QuantizerLayout l;
        try {
            l = new QuantizerLayout(QuantizerLayout.Kind.values()[kindOrd], in.readUnsignedShort(), in.readUnsignedShort(),
                    in.readInt(), in.readUnsignedByte());
        } catch (IllegalArgumentException e) {
            throw new IOException(name + ": " + e.getMessage(), e);
        }
        int size = l.codebookSize();
        int gdim = l.groupDim();
        if ((long) size * gdim * l.numCodebooks() > 1L << 28) {
            throw new IOException(name + ": layout " + l + " is implausibly large; the file is corrupt");
        }
        List<Codebook> books = new ArrayList<>();
        long[][] usage = new long[l.numCodebooks()][size];
        for (int i = 0; i < l.numCodebooks(); i++) {
            float[] d = new float[size * gdim];
            for (int j = 0; j < d.length; j++) {
                d[j] = in.readFloat();
            }
            books.add(new Codebook(size, gdim, d));
            for (int k = 0; k < size; k++) {
                usage[i][k] = in.readLong();
            }
        }
        VectorQuantizer q = l.kind() == QuantizerLayout.Kind.RVQ
                ? new ResidualVectorQuantizer(books) : new GroupResidualQuantizer(l.groups(), books);
        return new CodebookSet(id, demo, q, usage);
    }
}
