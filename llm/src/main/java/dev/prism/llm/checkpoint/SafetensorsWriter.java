package dev.prism.llm.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes a safetensors file (used by the generated test and benchmark checkpoints). */
public final class SafetensorsWriter {
    private final Map<String, Pending> tensors = new LinkedHashMap<>();

    private record Pending(DType dtype, long[] shape, byte[] bytes) {
    }

    /** Adds float data stored as dtype (F32, F16 or BF16, rounded to nearest even). */
    public SafetensorsWriter put(String name, DType dtype, long[] shape, float[] values) {
        long count = 1;
        for (long d : shape) {
            count *= d;
        }
        if (count != values.length) {
            throw new IllegalArgumentException(name + ": shape holds " + count + " values, got " + values.length);
        }
        ByteBuffer b = ByteBuffer.allocate(values.length * dtype.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            switch (dtype) {
                case F32 -> b.putFloat(v);
                case F16 -> b.putShort(HalfFloats.floatToHalf(v));
                case BF16 -> b.putShort(HalfFloats.floatToBf16(v));
                default -> throw new IllegalArgumentException("float data cannot be stored as " + dtype);
            }
        }
        tensors.put(name, new Pending(dtype, shape.clone(), b.array()));
        return this;
    }

    public long dataBytes() {
        return tensors.values().stream().mapToLong(p -> p.bytes.length).sum();
    }

    public Iterable<String> names() {
        return tensors.keySet();
    }

    public void write(Path file) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode header = json.createObjectNode();
        header.putObject("__metadata__").put("format", "pt");
        long offset = 0;
        for (Map.Entry<String, Pending> e : tensors.entrySet()) {
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", e.getValue().dtype.name());
            var shape = t.putArray("shape");
            for (long d : e.getValue().shape) {
                shape.add(d);
            }
            t.putArray("data_offsets").add(offset).add(offset + e.getValue().bytes.length);
            offset += e.getValue().bytes.length;
        }
        byte[] h = json.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        int padded = (h.length + 7) / 8 * 8;
        byte[] hp = new byte[padded];
        System.arraycopy(h, 0, hp, 0, h.length);
        for (int i = h.length; i < padded; i++) {
            hp[i] = ' ';
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
            out.write(hp);
            for (Pending p : tensors.values()) {
                out.write(p.bytes);
            }
        }
    }
}
