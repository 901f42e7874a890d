package dev.prism.llm.generate;

/**
 * RoPE position of a decoded token. NEXT_ABSOLUTE continues the prompt's (possibly renumbered)
 * positions; OWN_CACHE_LENGTH uses each layer's own cache length, the HF quirk MustDrop Stage C and
 * Elastic Cache inherit (ALGORITHMS.md 1.3 step 5, 3.5), kept as a switch.
 */
public enum PositionPolicy {
    NEXT_ABSOLUTE,
    OWN_CACHE_LENGTH
}
