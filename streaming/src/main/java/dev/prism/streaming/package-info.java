/** Prism's Kafka backbone: topic names, event records, the stage runtime, the embedded broker and the media store. */
package dev.prism.streaming;
