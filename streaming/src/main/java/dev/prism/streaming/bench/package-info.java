/** Benchmarks of the streaming backbone: stage-runtime overhead against bare kafka-clients. */
package dev.prism.streaming.bench;
