/** Runtime benchmarks: per-layer sessions against one whole-model graph, throughput of a ~100M VLM, RSS against checkpoint size. */
package dev.prism.llm.bench;
