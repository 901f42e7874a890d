/** The one shared range coder, its frequency models and the histogram coder for two-pass tables, used by the audio, KV-cache and Gaussian codecs. */
package dev.prism.codecs.entropy;
