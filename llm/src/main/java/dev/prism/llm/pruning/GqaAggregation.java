package dev.prism.llm.pruning;

/** How the scores of the query heads that share one KV head are combined before per-KV-head top-k (ALGORITHMS.md 2.2.4). */
public enum GqaAggregation {
    SUM, MAX, MEAN;

    double combine(double acc, double x, boolean first) {
        return switch (this) {
            case SUM, MEAN -> first ? x : acc + x;
            case MAX -> first ? x : Math.max(acc, x);
        };
    }

    double finish(double acc, int count) {
        return this == MEAN ? acc / count : acc;
    }
}
