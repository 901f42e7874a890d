package dev.prism.streaming.events;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventCodecTest {

    @Test
    void everyEventTypeRoundTrips() {
        JobRequest job = new JobRequest("j1", "store:j1/upload", "clip.mp4", List.of("transcript"), 2, 2, "Describe", Map.of("a", "b"), 5);
        List<PrismEvent> events = List.of(job,
                JobEvent.of("j1", "decode", JobEvent.Kind.WARNING, "gap at 3.2 s"),
                new AudioWindow("j1", 3, 6, 8, true, "store:j1/a16", "store:j1/a24", job),
                new FrameBatch("j1", 0, 0, 2, false, List.of(new FrameBatch.Frame(0.5, 64, 48, "store:x")), job),
                new TranscriptUpdate("j1", 1, true, false, 1, 2, "hi there", List.of(new TranscriptUpdate.Word("hi", 1, 1.2, .9)), "sphinx4", "en"),
                new Caption("j1", 2, 4, 6, false, "a cat", "tiny", true, Map.of("tokensKept", 12)),
                new AskRequest("j1", "r1", "what colour?", 9),
                new AskRequest("j1", "r2", "and now?", 10, 250.0),
                new AskAnswer("j1", "r1", "red", true, null, Map.of()));
        for (PrismEvent e : events) {
            assertEquals(e, EventCodec.decode(EventCodec.encode(e)), e.getClass().getSimpleName());
        }
    }

    @Test
    void binaryPayloadTravelsOutsideTheJson() {
        byte[] codes = new byte[5000];
        for (int i = 0; i < codes.length; i++) codes[i] = (byte) (i * 31);
        CodecFrame f = new CodecFrame("j", 4, 8, 10, false, 40000, "grvq", codes);
        byte[] wire = EventCodec.encode(f);
        assertTrue(wire.length < codes.length + 200, "payload must not be base64-inflated in JSON: " + wire.length);
        CodecFrame back = EventCodec.decode(wire, CodecFrame.class);
        assertArrayEquals(codes, back.payload());
        assertEquals(40000, back.bits());
    }

    @Test
    void unknownFieldsAndTrailingSectionsFromNewerWritersAreIgnored() {
        String json = "{\"jobId\":\"j\",\"requestId\":\"r\",\"question\":\"q\",\"atMs\":1,\"futureField\":{\"x\":1}}";
        byte[] type = "AskRequest".getBytes(StandardCharsets.UTF_8);
        byte[] meta = json.getBytes(StandardCharsets.UTF_8);
        byte[] wire = new byte[2 + 1 + type.length + 1 + meta.length + 1 + 1 + 3];
        int p = 0;
        wire[p++] = 'P';
        wire[p++] = 1;
        wire[p++] = (byte) type.length;
        System.arraycopy(type, 0, wire, p, type.length);
        p += type.length;
        wire[p++] = (byte) meta.length;
        System.arraycopy(meta, 0, wire, p, meta.length);
        p += meta.length;
        wire[p++] = 0; // empty payload
        wire[p++] = 3; // a future section
        assertEquals(new AskRequest("j", "r", "q", 1), EventCodec.decode(wire));
    }

    @Test
    void garbageAndTruncatedRecordsAreRejectedWithAReason() {
        RecordFormatException e = assertThrows(RecordFormatException.class, () -> EventCodec.decode("hello".getBytes()));
        assertTrue(e.getMessage().contains("magic"), e.getMessage());
        byte[] good = EventCodec.encode(new AskRequest("j", "r", "q", 1));
        byte[] cut = java.util.Arrays.copyOf(good, good.length - 4);
        e = assertThrows(RecordFormatException.class, () -> EventCodec.decode(cut));
        assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("malformed"), e.getMessage());
        byte[] future = good.clone();
        future[1] = 9;
        e = assertThrows(RecordFormatException.class, () -> EventCodec.decode(future));
        assertTrue(e.getMessage().contains("newer"), e.getMessage());
    }

    @Test
    void jobRequestDefaultsToAllTasks() {
        JobRequest j = new JobRequest("j", "s", null, null, 0, 0, null, null, 0);
        assertEquals(JobRequest.ALL_TASKS, j.tasks());
        assertEquals(1.0, j.frameRate());
        assertEquals(2.0, j.segmentSeconds());
    }
}
