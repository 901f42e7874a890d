package dev.prism.audio.transcript;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.prism.audio.AudioException;

/** transcript.json reading and writing (Jackson; unknown fields of newer writers are ignored). */
public final class TranscriptJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private TranscriptJson() {
    }

    public static String write(Transcript t) {
        try {
            return MAPPER.writeValueAsString(t);
        } catch (JsonProcessingException e) {
            throw new AudioException("Cannot write transcript JSON: " + e.getMessage(), e);
        }
    }

    public static Transcript read(String json) {
        try {
            return MAPPER.readValue(json, Transcript.class);
        } catch (JsonProcessingException e) {
            throw new AudioException("Not a transcript.json document: " + e.getOriginalMessage(), e);
        }
    }
}
