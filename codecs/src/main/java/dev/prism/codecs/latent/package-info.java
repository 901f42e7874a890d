/** Waveform to latent frames and back: the encoder/decoder plug-in interfaces and the analytic MDCT latent. */
package dev.prism.codecs.latent;
