/** Reading 16 kHz mono PCM from WAV files for tests, benchmarks and tools. */
package dev.prism.audio.io;
