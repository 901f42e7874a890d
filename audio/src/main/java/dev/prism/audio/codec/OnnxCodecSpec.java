package dev.prism.audio.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The JSON sidecar ({@value #FILE}) of a neural codec model directory: what the ONNX exports do not
 * say themselves. Example (the demo pair that {@link TinyCodecNets} writes):
 *
 * <pre>
 * {"format": "prism-onnx-codec/1", "name": "tiny-encodec-demo", "demo": true,
 *  "sampleRate": 24000, "hopSize": 320, "dim": 64,
 *  "encoder": {"file": "encoder.onnx", "input": "waveform", "output": "latent",
 *              "receptiveField": 1336, "lookahead": 0},
 *  "decoder": {"file": "decoder.onnx", "input": "latent", "output": "waveform",
 *              "contextFrames": 4, "lookaheadFrames": 0},
 *  "codebooks": "codebooks.bin"}
 * </pre>
 *
 * Export contract: the encoder maps {@code [1, 1, T]} (T a multiple of hopSize) to
 * {@code [1, dim, T / hopSize]}; the decoder maps {@code [1, dim, F]} to {@code [1, 1, F * hopSize]}.
 * {@code receptiveField} is the number of input samples one latent frame depends on and
 * {@code lookahead} how many of them lie after the frame's own hop (0 for a causal encoder such as
 * EnCodec 24 kHz); {@code contextFrames} / {@code lookaheadFrames} are the same for the decoder in
 * frames. Streaming uses them to re-run the networks on overlapping windows; values that are too
 * small make streamed output differ from one-shot output near window edges (too large only costs time).
 *
 * @param codebooksFile codebook file (CodebookFile format) learned on this latent, or null
 */
public record OnnxCodecSpec(String name, boolean demo, int sampleRate, int hopSize, int dim,
                            String encoderFile, String encoderInput, String encoderOutput, int receptiveField,
                            int lookahead, String decoderFile, String decoderInput, String decoderOutput,
                            int contextFrames, int lookaheadFrames, String codebooksFile) {
    public static final String FILE = "codec.json";
    public static final String FORMAT = "prism-onnx-codec/1";

    public OnnxCodecSpec {
        if (sampleRate < 1 || hopSize < 1 || dim < 1 || receptiveField < 1 || lookahead < 0 || contextFrames < 0
                || lookaheadFrames < 0) {
            throw new IllegalArgumentException("codec spec '" + name + "' needs positive sampleRate, hopSize, dim and"
                    + " receptiveField and non-negative lookahead/context; got sr=" + sampleRate + " hop=" + hopSize
                    + " dim=" + dim + " rf=" + receptiveField + " lookahead=" + lookahead + " context=" + contextFrames
                    + " lookaheadFrames=" + lookaheadFrames);
        }
    }

    /** Samples of left context the encoder needs, rounded up to whole hops so windows stay frame-aligned. */
    public int encoderContextSamples() {
        int left = Math.max(0, receptiveField - hopSize - lookahead);
        return (left + hopSize - 1) / hopSize * hopSize;
    }

    /** Reads {@code dir/codec.json}. */
    public static OnnxCodecSpec read(Path dir) throws OnnxCodecException {
        Path f = dir.resolve(FILE);
        JsonNode n;
        try {
            n = new ObjectMapper().readTree(Files.readAllBytes(f));
        } catch (IOException e) {
            throw new OnnxCodecException("cannot read the codec sidecar " + f + " (" + e.getMessage()
                    + "); a neural codec directory needs " + FILE + " next to encoder and decoder ONNX files", e);
        }
        try {
            if (!FORMAT.equals(text(n, "format", FORMAT))) {
                throw new IllegalArgumentException("format '" + n.get("format").asText() + "' is not " + FORMAT);
            }
            JsonNode e = req(n, "encoder");
            JsonNode d = req(n, "decoder");
            return new OnnxCodecSpec(text(n, "name", dir.getFileName().toString()), n.path("demo").asBoolean(false),
                    integer(n, "sampleRate"), integer(n, "hopSize"), integer(n, "dim"),
                    text(e, "file", "encoder.onnx"), text(e, "input", "waveform"), text(e, "output", "latent"),
                    integer(e, "receptiveField"), e.path("lookahead").asInt(0),
                    text(d, "file", "decoder.onnx"), text(d, "input", "latent"), text(d, "output", "waveform"),
                    integer(d, "contextFrames"), d.path("lookaheadFrames").asInt(0),
                    n.hasNonNull("codebooks") ? n.get("codebooks").asText() : null);
        } catch (IllegalArgumentException ex) {
            throw new OnnxCodecException(f + ": " + ex.getMessage(), ex);
        }
    }

    public void write(Path dir) throws IOException {
        ObjectMapper m = new ObjectMapper();
        ObjectNode n = m.createObjectNode();
        n.put("format", FORMAT).put("name", name).put("demo", demo).put("sampleRate", sampleRate)
                .put("hopSize", hopSize).put("dim", dim);
        n.putObject("encoder").put("file", encoderFile).put("input", encoderInput).put("output", encoderOutput)
                .put("receptiveField", receptiveField).put("lookahead", lookahead);
        n.putObject("decoder").put("file", decoderFile).put("input", decoderInput).put("output", decoderOutput)
                .put("contextFrames", contextFrames).put("lookaheadFrames", lookaheadFrames);
        if (codebooksFile != null) {
            n.put("codebooks", codebooksFile);
        }
        Files.createDirectories(dir);
        m.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(FILE).toFile(), n);
    }

    public OnnxCodecSpec withCodebooks(String file) {
        return new OnnxCodecSpec(name, demo, sampleRate, hopSize, dim, encoderFile, encoderInput, encoderOutput,
                receptiveField, lookahead, decoderFile, decoderInput, decoderOutput, contextFrames, lookaheadFrames, file);
    }

    private static JsonNode req(JsonNode n, String key) {
        if (!n.hasNonNull(key)) {
            throw new IllegalArgumentException("missing field '" + key + "'");
        }
        return n.get(key);
    }

    private static int integer(JsonNode n, String key) {
        JsonNode v = req(n, key);
        if (!v.canConvertToInt()) {
            throw new IllegalArgumentException("field '" + key + "' must be an integer, got " + v);
        }
        return v.asInt();
    }

    private static String text(JsonNode n, String key, String dflt) {
        return n.hasNonNull(key) ? n.get(key).asText() : dflt;
    }
}
