package dev.prism.ingest;
