/** Segmenting: sampled RGB frames and resampled mono audio cut into aligned time segments, streamed while decoding. */
package dev.prism.ingest.segment;
