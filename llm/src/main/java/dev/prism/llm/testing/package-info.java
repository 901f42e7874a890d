/** Tiny deterministic checkpoints (seeded random weights, real configs, HF layout) for tests, demos and benchmarks. */
package dev.prism.llm.testing;
