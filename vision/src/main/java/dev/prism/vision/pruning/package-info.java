/** Vision-token pruning before the LLM: MustDrop stage A (local 3x3 merging, CLS key set) and temporal redundancy across frames. */
package dev.prism.vision.pruning;
