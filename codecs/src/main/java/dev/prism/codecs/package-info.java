package dev.prism.codecs;
