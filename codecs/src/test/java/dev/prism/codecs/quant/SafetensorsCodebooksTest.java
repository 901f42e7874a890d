package dev.prism.codecs.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsCodebooksTest {

    /** Writes a safetensors file with four F32 [4, 3] tensors and one F16 tensor. */
    static Path write(Path dir) throws IOException {
        StringBuilder json = new StringBuilder("{");
        int tensors = 4;
        int bytesEach = 4 * 3 * 4;
        for (int t = 0; t < tensors; t++) {
            json.append(t == 0 ? "" : ",").append("\"q.").append(t).append(".weight\":{\"dtype\":\"F32\",\"shape\":[4,3],")
                    .append("\"data_offsets\":[").append(t * bytesEach).append(",").append((t + 1) * bytesEach).append("]}");
        }
        json.append(",\"half\":{\"dtype\":\"F16\",\"shape\":[4,3],\"data_offsets\":[").append(tensors * bytesEach)
                .append(",").append(tensors * bytesEach + 24).append("]}}");
        byte[] h = json.toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + tensors * bytesEach + 24).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        for (int t = 0; t < tensors; t++) {
            for (int i = 0; i < 12; i++) {
                b.putFloat(t * 100 + i);
            }
        }
        for (int i = 0; i < 12; i++) {
            b.putShort((short) 0x3C00);   // 1.0 in binary16
        }
        Path f = dir.resolve("ckpt.safetensors");
        Files.write(f, b.array());
        return f;
    }

    @Test
    void loadsNamedTensorsInCodeOrder(@TempDir Path dir) throws IOException {
        Path f = write(dir);
        CodebookSet set = SafetensorsCodebooks.load(f, List.of("q.0.weight", "q.1.weight", "q.2.weight", "q.3.weight"),
                QuantizerLayout.Kind.GRVQ, 2, "hifi");
        assertEquals(6, set.quantizer().dim());
        assertEquals(4, set.quantizer().numCodebooks());
        assertEquals(205f, set.quantizer().codebook(2).data()[5]);
        CodebookSet half = SafetensorsCodebooks.load(f, List.of("half"), QuantizerLayout.Kind.RVQ, 1, "h");
        assertArrayEquals(new float[] {1f, 1f, 1f}, java.util.Arrays.copyOf(half.quantizer().codebook(0).data(), 3));
        IOException e = assertThrows(IOException.class,
                () -> SafetensorsCodebooks.load(f, List.of("missing"), QuantizerLayout.Kind.RVQ, 1, "x"));
        assertTrue(e.getMessage().contains("missing") && e.getMessage().contains("q.0.weight"), e.getMessage());
    }

    @Test
    void halfPrecisionConversion() {
        assertEquals(1.0f, SafetensorsCodebooks.halfToFloat((short) 0x3C00));
        assertEquals(-2.0f, SafetensorsCodebooks.halfToFloat((short) 0xC000));
        assertEquals(0x1.0p-24f, SafetensorsCodebooks.halfToFloat((short) 0x0001));
        assertEquals(65504f, SafetensorsCodebooks.halfToFloat((short) 0x7BFF));
    }
}
