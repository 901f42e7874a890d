/** Sources: files and URIs checked against a {@link dev.prism.ingest.source.SourcePolicy}, and content sniffing. */
package dev.prism.ingest.source;
