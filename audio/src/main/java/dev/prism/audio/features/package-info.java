/** Audio front ends: Whisper's log-mel spectrogram, Slaney mel filterbanks and small FFT helpers. */
package dev.prism.audio.features;
