package dev.prism.audio.transcript;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TranscriptJsonTest {
    static Transcript sample() {
        return new Transcript("en", "sphinx4-en-us", List.of(
                new Segment(0.5, 2.0, "hello world", List.of(new Word("hello", 0.5, 1.0, 0.9), new Word("world", 1.1, 1.9, 0.8))),
                new Segment(3.0, 4.0, "again", List.of(new Word("again", 3.2, 3.8, 1.0)))));
    }

    @Test
    void jsonHasExactlyTheBackboneSchema() throws Exception {
        JsonNode n = new ObjectMapper().readTree(TranscriptJson.write(sample()));
        assertEquals(List.of("language", "recognizer", "segments"), fieldNames(n));
        JsonNode seg = n.get("segments").get(0);
        assertEquals(List.of("start", "end", "text", "words"), fieldNames(seg));
        assertEquals(List.of("word", "start", "end", "confidence"), fieldNames(seg.get("words").get(0)));
        assertEquals(1.1, seg.get("words").get(1).get("start").asDouble());
        assertEquals("en", n.get("language").asText());
    }

    @Test
    void roundTripsAndIgnoresUnknownFields() {
        Transcript t = sample();
        assertEquals(t, TranscriptJson.read(TranscriptJson.write(t)));
        String newer = TranscriptJson.write(t).replaceFirst("\\{", "{\"future\": 1,");
        assertEquals(t, TranscriptJson.read(newer));
        Transcript flagged = new Transcript("en", "x", List.of(), List.of(Transcript.FLAG_CLIPPED));
        assertTrue(TranscriptJson.write(flagged).contains("\"flags\""));
        assertEquals(flagged, TranscriptJson.read(TranscriptJson.write(flagged)));
        assertFalse(TranscriptJson.write(sample()).contains("flags"));
    }

    @Test
    void wordsOutsideTheirSegmentOrOutOfOrderAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new Segment(1, 2, "x", List.of(new Word("x", 0.5, 1.5, 1))));
        assertThrows(IllegalArgumentException.class,
                () -> new Segment(0, 3, "a b", List.of(new Word("a", 1, 2, 1), new Word("b", 1.5, 2.5, 1))));
        assertThrows(RuntimeException.class, () -> TranscriptJson.read("not json"));
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> out = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
