/** Speech recognizers behind one interface (PCM at 16 kHz in, timed words out), and word error rate. */
package dev.prism.audio.asr;
