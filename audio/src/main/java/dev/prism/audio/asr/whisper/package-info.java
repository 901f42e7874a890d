/** Whisper recognizer on the llm model runtime: windows, decoding rules, fallback, word alignment. */
package dev.prism.audio.asr.whisper;
