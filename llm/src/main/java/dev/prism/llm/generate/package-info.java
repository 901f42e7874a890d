/** The decoder compiled to per-layer sessions and the generation loop (prefill, decode, sampling, stops, policy hooks). */
package dev.prism.llm.generate;
