/** Subtitle cues built from timed words, and their SRT and WebVTT forms. */
package dev.prism.audio.subtitles;
