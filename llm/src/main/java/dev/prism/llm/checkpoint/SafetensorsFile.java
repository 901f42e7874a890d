package dev.prism.llm.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One memory-mapped safetensors file: an 8-byte little-endian header length, a JSON header
 * ({@code name -> {dtype, shape, data_offsets}}), then the data. Each tensor is mapped on its own
 * region, so files beyond 2 GiB (one MappedByteBuffer's limit) work as long as each tensor fits.
 */
public final class SafetensorsFile implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path path;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    private record Entry(DType dtype, long[] shape, long begin, long end) {
    }

    private SafetensorsFile(Path path) throws IOException {
        this.path = path;
        this.channel = FileChannel.open(path, StandardOpenOption.READ);
        long size = channel.size();
        if (size < 8) {
            throw fail("file is " + size + " bytes, shorter than the 8-byte header length");
        }
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        channel.read(len, 0);
        long headerLen = len.getLong(0);
        if (headerLen <= 0 || headerLen > 100_000_000L || 8 + headerLen > size) {
            throw fail("header length " + headerLen + " does not fit a file of " + size + " bytes (not a safetensors file?)");
        }
        ByteBuffer header = ByteBuffer.allocate((int) headerLen);
        channel.read(header, 8);
        this.dataStart = 8 + headerLen;
        JsonNode root;
        try {
            root = JSON.readTree(new String(header.array(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CheckpointException(path + ": safetensors header is not valid JSON: " + e.getMessage(), e);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getKey().equals("__metadata__")) {
                f.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                continue;
            }
            entries.put(f.getKey(), parseEntry(f.getKey(), f.getValue(), size - dataStart));
        }
    }

    private Entry parseEntry(String name, JsonNode n, long dataBytes) {
        String where = path + ": tensor '" + name + "'";
        if (!n.has("dtype") || !n.has("shape") || !n.has("data_offsets")) {
            throw new CheckpointException(where + " lacks dtype, shape or data_offsets in the header");
        }
        DType dtype = DType.parse(n.get("dtype").asText(), where);
        long[] shape = new long[n.get("shape").size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = n.get("shape").get(i).asLong();
            count *= shape[i];
        }
        long begin = n.get("data_offsets").get(0).asLong();
        long end = n.get("data_offsets").get(1).asLong();
        if (begin < 0 || end < begin || end > dataBytes) {
            throw new CheckpointException(where + " has data_offsets [" + begin + ", " + end
                    + "] outside the " + dataBytes + " data bytes (truncated download?)");
        }
        if (end - begin != count * dtype.bytes()) {
            throw new CheckpointException(where + " spans " + (end - begin) + " bytes but shape and dtype need "
                    + count * dtype.bytes());
        }
        return new Entry(dtype, shape, begin, end);
    }

    private CheckpointException fail(String what) {
        return new CheckpointException(path + ": " + what);
    }

    public static SafetensorsFile open(Path path) {
        try {
            return new SafetensorsFile(path);
        } catch (IOException e) {
            throw new CheckpointException(path + ": cannot read safetensors file: " + e.getMessage(), e);
        }
    }

    public Path path() {
        return path;
    }

    public Iterable<String> names() {
        return Collections.unmodifiableSet(entries.keySet());
    }

    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    public Map<String, String> metadata() {
        return Collections.unmodifiableMap(metadata);
    }

    /** Maps the tensor's bytes read-only (no copy). */
    public Tensor tensor(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw fail("no tensor named '" + name + "'");
        }
        try {
            long len = e.end - e.begin;
            if (len > Integer.MAX_VALUE) {
                throw fail("tensor '" + name + "' is " + len + " bytes, above the 2 GiB a single mapping allows");
            }
            ByteBuffer buf = len == 0 ? ByteBuffer.allocateDirect(0)
                    : channel.map(FileChannel.MapMode.READ_ONLY, dataStart + e.begin, len);
            return new Tensor(name, e.dtype, e.shape.clone(), buf.order(ByteOrder.LITTLE_ENDIAN));
        } catch (IOException ex) {
            throw new CheckpointException(path + ": cannot map tensor '" + name + "': " + ex.getMessage(), ex);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // mapped regions stay valid after the channel closes; nothing to recover here
        }
    }
}
