/** Codec benchmark: bitrate vs quality for RVQ and GRVQ, coded size vs entropy, speed in multiples of real time. */
package dev.prism.codecs.bench;
