/** The Java-owned KV cache: per layer, per KV head, variable length; drop, gather, merge, replace, byte accounting. */
package dev.prism.llm.kv;
