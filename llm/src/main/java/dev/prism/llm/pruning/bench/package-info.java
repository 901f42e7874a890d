/** Benchmarks of the pruning and KV-compression algorithms on generated inputs (wired into `prism bench`). */
package dev.prism.llm.pruning.bench;
