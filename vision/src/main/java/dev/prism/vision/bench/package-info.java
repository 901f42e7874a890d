/** Benchmarks of the vision module's captioning pipeline (token pruning, cache policies, encoded contexts). */
package dev.prism.vision.bench;
