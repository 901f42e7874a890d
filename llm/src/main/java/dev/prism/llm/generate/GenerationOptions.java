package dev.prism.llm.generate;

import java.util.List;
import java.util.Set;

/**
 * Decoding settings. temperature 0 = greedy (argmax, lowest id on ties); otherwise logits are divided
 * by temperature, restricted to the smallest top-p nucleus, and sampled with a seeded generator.
 */
public record GenerationOptions(int maxNewTokens, double temperature, double topP, long seed, Set<Long> stopTokens,
                                List<String> stopStrings, PositionPolicy positionPolicy) {
    public GenerationOptions {
        if (maxNewTokens < 0) {
            throw new IllegalArgumentException("maxNewTokens must be >= 0, got " + maxNewTokens);
        }
        if (temperature < 0 || Double.isNaN(temperature)) {
            throw new IllegalArgumentException("temperature must be >= 0 (0 = greedy), got " + temperature);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
        }
        stopTokens = Set.copyOf(stopTokens);
        stopStrings = List.copyOf(stopStrings);
    }

    public static GenerationOptions greedy(int maxNewTokens) {
        return new GenerationOptions(maxNewTokens, 0, 1, 0, Set.of(), List.of(), PositionPolicy.NEXT_ABSOLUTE);
    }

    public GenerationOptions sampling(double temp, double p, long seedValue) {
        return new GenerationOptions(maxNewTokens, temp, p, seedValue, stopTokens, stopStrings, positionPolicy);
    }

    public GenerationOptions stopTokens(Set<Long> ids) {
        return new GenerationOptions(maxNewTokens, temperature, topP, seed, ids, stopStrings, positionPolicy);
    }

    public GenerationOptions stopStrings(List<String> s) {
        return new GenerationOptions(maxNewTokens, temperature, topP, seed, stopTokens, s, positionPolicy);
    }

    public GenerationOptions positions(PositionPolicy p) {
        return new GenerationOptions(maxNewTokens, temperature, topP, seed, stopTokens, stopStrings, p);
    }
}
