package dev.prism.streaming.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The versioned envelope every Prism record travels in:
 * <pre>
 *   'P' | version(1) | varint len + type name | varint len + JSON metadata | varint len + binary payload | [future sections]
 * </pre>
 * JSON keeps metadata evolvable (unknown fields are ignored, missing ones default); the binary section
 * keeps tensors and codes compact. A reader ignores sections after the ones it knows, so a newer writer
 * may append more.
 */
public final class EventCodec {

    static final byte MAGIC = 'P';
    static final byte VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, false)
            .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .addMixIn(Payload.class, PayloadMixin.class);

    @com.fasterxml.jackson.annotation.JsonIgnoreProperties({"payload"})
    private interface PayloadMixin {
    }

    private static final Map<String, Class<? extends PrismEvent>> TYPES = Stream.of(
                    JobRequest.class, JobEvent.class, AudioWindow.class, FrameBatch.class, VisionTokens.class,
                    Caption.class, TranscriptUpdate.class, CodecFrame.class, GaussianFrame.class,
                    AskRequest.class, AskAnswer.class)
            .collect(Collectors.toMap(Class::getSimpleName, Function.identity()));

    private EventCodec() {
    }

    public static ObjectMapper json() {
        return JSON;
    }

    public static byte[] encode(PrismEvent event) {
        try {
            byte[] type = event.getClass().getSimpleName().getBytes(StandardCharsets.UTF_8);
            byte[] meta = JSON.writeValueAsBytes(event);
            byte[] body = event instanceof Payload p && p.payload() != null ? p.payload() : new byte[0];
            ByteArrayOutputStream out = new ByteArrayOutputStream(16 + type.length + meta.length + body.length);
            out.write(MAGIC);
            out.write(VERSION);
            writeSection(out, type);
            writeSection(out, meta);
            writeSection(out, body);
            return out.toByteArray();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot serialise " + event.getClass().getSimpleName(), e);
        }
    }

    public static PrismEvent decode(byte[] bytes) {
        if (bytes == null || bytes.length < 2) {
            throw new RecordFormatException("record is " + (bytes == null ? "null" : bytes.length + " bytes")
                    + ": too short for a Prism envelope (produce records with EventCodec.encode)", null);
        }
        if (bytes[0] != MAGIC) {
            throw new RecordFormatException(String.format("record starts with byte 0x%02x, not the Prism envelope magic 'P':"
                    + " it was not written by EventCodec", bytes[0] & 0xff), null);
        }
        if (bytes[1] > VERSION || bytes[1] < 1) {
            throw new RecordFormatException("record envelope version " + bytes[1] + " is newer than this Prism ("
                    + VERSION + "): upgrade the consumer", null);
        }
        int[] pos = {2};
        try {
            String type = new String(readSection(bytes, pos), StandardCharsets.UTF_8);
            Class<? extends PrismEvent> cls = TYPES.get(type);
            if (cls == null) {
                throw new RecordFormatException("unknown record type '" + type + "' (known: " + TYPES.keySet() + ")", null);
            }
            byte[] meta = readSection(bytes, pos);
            byte[] body = readSection(bytes, pos);
            PrismEvent event = JSON.readValue(meta, cls);
            if (event instanceof Payload) {
                event = withPayload(event, body);
            }
            return event;
        } catch (RecordFormatException e) {
            throw e;
        } catch (Exception e) {
            throw new RecordFormatException("malformed Prism record at byte " + pos[0] + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    public static <T extends PrismEvent> T decode(byte[] bytes, Class<T> expected) {
        PrismEvent e = decode(bytes);
        if (!expected.isInstance(e)) {
            throw new RecordFormatException("expected a " + expected.getSimpleName() + " record but got "
                    + e.getClass().getSimpleName(), null);
        }
        return (T) e;
    }

    private static PrismEvent withPayload(PrismEvent event, byte[] body) throws ReflectiveOperationException {
        RecordComponent[] comps = event.getClass().getRecordComponents();
        Object[] args = new Object[comps.length];
        Class<?>[] types = new Class<?>[comps.length];
        for (int i = 0; i < comps.length; i++) {
            types[i] = comps[i].getType();
            args[i] = comps[i].getName().equals("payload") ? body : comps[i].getAccessor().invoke(event);
        }
        Constructor<?> ctor = event.getClass().getDeclaredConstructor(types);
        return (PrismEvent) ctor.newInstance(args);
    }

    private static void writeSection(ByteArrayOutputStream out, byte[] data) {
        int n = data.length;
        while ((n & ~0x7f) != 0) {
            out.write((n & 0x7f) | 0x80);
            n >>>= 7;
        }
        out.write(n);
        out.write(data, 0, data.length);
    }

    private static byte[] readSection(byte[] b, int[] pos) {
        int n = 0;
        int shift = 0;
        while (true) {
            if (pos[0] >= b.length) {
                throw new RecordFormatException("record truncated at byte " + pos[0] + " (section length missing)", null);
            }
            int v = b[pos[0]++] & 0xff;
            n |= (v & 0x7f) << shift;
            if ((v & 0x80) == 0) break;
            shift += 7;
            if (shift > 28) throw new RecordFormatException("bad section length at byte " + pos[0], null);
        }
        if (n < 0 || pos[0] + n > b.length) {
            throw new RecordFormatException("record truncated: section of " + n + " bytes at byte " + pos[0]
                    + " runs past the end (" + b.length + " bytes)", null);
        }
        byte[] out = java.util.Arrays.copyOfRange(b, pos[0], pos[0] + n);
        pos[0] += n;
        return out;
    }
}
