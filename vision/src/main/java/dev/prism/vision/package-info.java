package dev.prism.vision;
