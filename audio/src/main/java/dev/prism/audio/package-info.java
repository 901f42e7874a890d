/** Audio library facade: offline and streaming transcription from 16 kHz PCM to transcripts and subtitles. */
package dev.prism.audio;
