package dev.prism.llm.pruning;

/**
 * The prefill sequence as MustDrop sees it: [S system tokens][V vision tokens][Tq text tokens] (ALGORITHMS.md 1.2).
 */
public record SequenceLayout(int system, int vision, int text) {
    public SequenceLayout {
        PruningInputException.check(system >= 0 && vision >= 0 && text >= 0,
                "sequence layout " + system + "/" + vision + "/" + text + " has a negative part");
    }

    public int length() {
        return system + vision + text;
    }

    public int visionStart() {
        return system;
    }

    public int visionEnd() {
        return system + vision;
    }

    public SequenceLayout withVision(int v) {
        return new SequenceLayout(system, v, text);
    }
}
