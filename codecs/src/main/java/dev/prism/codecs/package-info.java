/** Codec library entry points: AudioCodec (streaming encode/decode of .codes), CodebookTrainer, DemoCodebooks. */
package dev.prism.codecs;
