package dev.prism.streaming;
