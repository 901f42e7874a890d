/** Codec quality and rate metrics: SI-SNR, log-mel distance, bitrate, per-codebook usage entropy and dead codes. */
package dev.prism.codecs.metrics;
