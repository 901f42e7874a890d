/** Whisper-style encoder-decoder through the same graph builder: conv front end, encoder, cross-attending decoder, Java-owned cache. */
package dev.prism.llm.whisper;
