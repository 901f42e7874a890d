/** The transcript model (segments of timed words, times in seconds) and its transcript.json form. */
package dev.prism.audio.transcript;
