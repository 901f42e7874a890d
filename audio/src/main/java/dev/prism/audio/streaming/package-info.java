/** Streaming recognition: VAD-closed segments and LocalAgreement-2 commits over a bounded audio buffer. */
package dev.prism.audio.streaming;
