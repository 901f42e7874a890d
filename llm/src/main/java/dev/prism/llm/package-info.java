package dev.prism.llm;
