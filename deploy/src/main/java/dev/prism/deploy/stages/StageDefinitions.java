package dev.prism.deploy.stages;

import dev.prism.streaming.Topics;
import dev.prism.streaming.events.FrameBatch;
import dev.prism.streaming.events.VisionTokens;
import dev.prism.streaming.runtime.StageHandler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The stages of the flow: name, input topic, and the adapter that turns records into library calls. */
public final class StageDefinitions {

    public static final List<String> ALL = List.of("decode", "asr", "codec", "vision", "vlm", "gaussians");

    public record Definition(String name, Function<Topics, String> input, Function<StageServices, StageHandler> handler) {
    }

    private StageDefinitions() {
    }

    public static Map<String, Definition> all() {
        Map<String, Definition> m = new LinkedHashMap<>();
        m.put("decode", new Definition("decode", Topics::jobs, DecodeStage::new));
        m.put("asr", new Definition("asr", Topics::audio, AsrStage::new));
        m.put("codec", new Definition("codec", Topics::audio, CodecStage::new));
        m.put("vision", new Definition("vision", Topics::frames, s -> new PendingStage(s.support(), "vision", "captions",
                e -> ((FrameBatch) e).last(), e -> ((FrameBatch) e).job())));
        m.put("vlm", new Definition("vlm", Topics::visionTokens, s -> new PendingStage(s.support(), "vlm", "captions",
                e -> ((VisionTokens) e).last(), e -> ((VisionTokens) e).job())));
        m.put("gaussians", new Definition("gaussians", Topics::frames, GaussianStage::new));
        return m;
    }
}
