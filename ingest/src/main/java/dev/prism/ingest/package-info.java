/** Ingest facade types shared by every role: errors and resource limits for untrusted media. */
package dev.prism.ingest;
