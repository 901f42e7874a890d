package dev.prism.audio.bench;

import dev.prism.audio.asr.SphinxOptions;
import dev.prism.audio.asr.SphinxRecognizer;
import dev.prism.audio.streaming.StreamingOptions;

import java.nio.file.Path;
import java.util.Map;

/**
 * Runs only the streaming part of {@link AsrBench} (for measuring streaming changes without the offline RTF passes):
 * {@code java ... StreamLatencyRunner [redecode|incremental [chunkSeconds [baseline: none|redecode]]]}; {@code -Dprism.bench.asr.streamMinutes} sets the length.
 */
public final class StreamLatencyRunner {
    private StreamLatencyRunner() {
    }

    public static void main(String[] args) {
        AsrBench.Clips clips = AsrBench.clips(Path.of(System.getenv().getOrDefault("PRISM_ASSETS", "/work/shared")));
        double minutes = Double.parseDouble(System.getProperty("prism.bench.asr.streamMinutes", "2"));
        StreamingOptions o = args.length > 0 && args[0].equals("redecode") ? StreamingOptions.redecodeDefaults()
                : StreamingOptions.defaults();
        if (args.length > 1) {
            o = o.withChunkSeconds(Double.parseDouble(args[1]));
        }
        System.out.println("streaming " + o);
        try (SphinxRecognizer r = new SphinxRecognizer(SphinxOptions.defaults())) {
            StreamingOptions base = args.length > 2 && args[2].equals("redecode") ? StreamingOptions.redecodeDefaults() : null;
            for (Map<String, Object> row : AsrBench.streamLatency(r, o, base, clips, minutes, System.out)) {
                System.out.println(row);
            }
        }
    }
}
