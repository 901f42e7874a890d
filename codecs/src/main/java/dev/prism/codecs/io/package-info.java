/** Minimal WAV reading/writing and resampling so the codec library and its benchmark need no FFmpeg. */
package dev.prism.codecs.io;
