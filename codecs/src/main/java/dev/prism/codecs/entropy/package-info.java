/** The one shared range coder and its frequency models, used by the audio, KV-cache and Gaussian codecs. */
package dev.prism.codecs.entropy;
