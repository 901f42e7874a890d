package dev.prism.deploy;
