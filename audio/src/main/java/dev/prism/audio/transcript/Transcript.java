package dev.prism.audio.transcript;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;

/**
 * A transcript as written to {@code transcript.json}:
 * {@code {"language","recognizer","segments":[{"start","end","text","words":[{"word","start","end","confidence"}]}]}},
 * times in seconds. {@code flags} (e.g. {@code clipped}, {@code low-confidence}) say why a transcript should
 * not be trusted; the field is left out of the JSON when empty.
 */
@JsonPropertyOrder({"language", "recognizer", "segments", "flags"})
@JsonIgnoreProperties(ignoreUnknown = true)
public record Transcript(String language, String recognizer, List<Segment> segments,
                         @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> flags) {
    public static final String FLAG_CLIPPED = "clipped";
    public static final String FLAG_LOW_CONFIDENCE = "low-confidence";
    public static final String FLAG_NO_SPEECH = "no-speech";

    public Transcript {
        segments = List.copyOf(segments);
        flags = flags == null ? List.of() : List.copyOf(flags);
        for (int i = 1; i < segments.size(); i++) {
            if (segments.get(i).start() < segments.get(i - 1).end() - 1e-9) {
                throw new IllegalArgumentException("transcript segments overlap at " + segments.get(i).start());
            }
        }
    }

    public Transcript(String language, String recognizer, List<Segment> segments) {
        this(language, recognizer, segments, List.of());
    }

    /** All words in time order. */
    public List<Word> words() {
        return segments.stream().flatMap(s -> s.words().stream()).toList();
    }

    /** The whole text, segments joined by spaces. */
    public String text() {
        return String.join(" ", segments.stream().map(Segment::text).filter(t -> !t.isBlank()).toList());
    }
}
