/** Benchmarks of the audio library (real-time factor, WER, streaming latency), run by {@code prism bench asr}. */
package dev.prism.audio.bench;
