/** Architecture descriptions read from config.json (decoder, vision tower, projector) and RoPE frequencies. */
package dev.prism.llm.model;
