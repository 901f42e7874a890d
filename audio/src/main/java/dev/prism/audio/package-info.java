package dev.prism.audio;
