package dev.prism.deploy.stages;

import dev.prism.streaming.Topics;
import dev.prism.streaming.runtime.StageHandler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The stages of the flow: name, input topic, and the adapter that turns records into library calls. */
public final class StageDefinitions {

    public static final List<String> ALL = List.of("decode", "asr", "codec", "vision", "vlm", "gaussians", "ask");

    public record Definition(String name, Function<Topics, String> input, Function<StageServices, StageHandler> handler) {
    }

    private StageDefinitions() {
    }

    public static Map<String, Definition> all() {
        Map<String, Definition> m = new LinkedHashMap<>();
        m.put("decode", new Definition("decode", Topics::jobs, DecodeStage::new));
        m.put("asr", new Definition("asr", Topics::audio, AsrStage::new));
        m.put("codec", new Definition("codec", Topics::audio, CodecStage::new));
        m.put("vision", new Definition("vision", Topics::frames, VisionTokensStage::new));
        m.put("vlm", new Definition("vlm", Topics::visionTokens, VlmStage::new));
        m.put("gaussians", new Definition("gaussians", Topics::frames, GaussianStage::new));
        m.put("ask", new Definition("ask", Topics::askRequests, AskStage::new));
        return m;
    }
}
