/** Decode benchmarks against the ffmpeg command-line tool on the same files in the same run. */
package dev.prism.ingest.bench;
