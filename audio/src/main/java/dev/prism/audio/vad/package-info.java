/** Voice activity detection (Silero VAD through DJL, or a built-in energy/spectral detector) and speech regions. */
package dev.prism.audio.vad;
