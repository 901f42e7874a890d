package dev.prism.codecs.quant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads codebooks from a checkpoint exported as safetensors (8-byte little-endian header length,
 * JSON header of {name: {dtype, shape, data_offsets}}, raw little-endian data). The caller names
 * the tensors in code order, because their names differ between checkpoints: for HiFi-Codec the
 * four {@code [1024, 256]} embedding tables of the quantizer state in the order
 * [s1g1, s1g2, s2g1, s2g2] (ALGORITHMS.md 5.6), for EnCodec {@code quantizer.vq.layers.K._codebook.embed}
 * {@code [1024, 128]} for K = 0..31 (7.6). The mapping from names to positions is not verified
 * against the released checkpoints here, hence a parameter. F32, F16 and BF16 are accepted.
 */
public final class SafetensorsCodebooks {
    private SafetensorsCodebooks() {
    }

    public static CodebookSet load(Path file, List<String> tensorsInCodeOrder, QuantizerLayout.Kind kind, int groups,
                                   String id) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            if (ch.read(lenBuf, 0) != 8) {
                throw new IOException(file + " is too short to be a safetensors file");
            }
            long headerLen = lenBuf.getLong(0);
            if (headerLen <= 0 || headerLen > 100_000_000L || 8 + headerLen > ch.size()) {
                throw new IOException(file + ": invalid safetensors header length " + headerLen);
            }
            ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
            ch.read(hb, 8);
            JsonNode header = new ObjectMapper().readTree(hb.array());
            long dataStart = 8 + headerLen;
            List<Codebook> books = new ArrayList<>();
            for (String name : tensorsInCodeOrder) {
                JsonNode t = header.get(name);
                if (t == null) {
                    throw new IOException(file + " has no tensor '" + name + "'; tensors present: " + names(header));
                }
                String dtype = t.get("dtype").asText();
                JsonNode shape = t.get("shape");
                if (shape.size() != 2) {
                    throw new IOException(file + ": tensor '" + name + "' has shape " + shape + ", expected [entries, dim]");
                }
                int size = shape.get(0).asInt();
                int dim = shape.get(1).asInt();
                long begin = t.get("data_offsets").get(0).asLong();
                long end = t.get("data_offsets").get(1).asLong();
                int width = switch (dtype) {
                    case "F32" -> 4;
                    case "F16", "BF16" -> 2;
                    default -> throw new IOException(file + ": tensor '" + name + "' has dtype " + dtype
                            + "; only F32, F16 and BF16 codebooks are supported");
                };
                if (end - begin != (long) size * dim * width || dataStart + end > ch.size()) {
                    throw new IOException(file + ": tensor '" + name + "' data range does not match its shape");
                }
                ByteBuffer data = ByteBuffer.allocate((int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN);
                ch.read(data, dataStart + begin);
                data.flip();
                float[] values = new float[size * dim];
                for (int i = 0; i < values.length; i++) {
                    values[i] = switch (dtype) {
                        case "F32" -> data.getFloat();
                        case "F16" -> halfToFloat(data.getShort());
                        default -> Float.intBitsToFloat((data.getShort() & 0xFFFF) << 16);
                    };
                }
                books.add(new Codebook(size, dim, values));
            }
            VectorQuantizer q = kind == QuantizerLayout.Kind.RVQ
                    ? new ResidualVectorQuantizer(books) : new GroupResidualQuantizer(groups, books);
            return new CodebookSet(id, false, q, null);
        }
    }

    /** IEEE 754 binary16 to float (Float.float16ToFloat needs Java 20). */
    static float halfToFloat(short h) {
        int bits = h & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1F;
        int mant = bits & 0x3FF;
        if (exp == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * 0x1.0p-24f;   // subnormal
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    private static String names(JsonNode header) {
        List<String> n = new ArrayList<>();
        header.fieldNames().forEachRemaining(n::add);
        return n.size() > 20 ? n.subList(0, 20) + "..." : n.toString();
    }
}
