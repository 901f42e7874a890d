package dev.prism.llm.generate;

/** Why generation ended. */
public enum StopReason {
    STOP_TOKEN,
    STOP_STRING,
    MAX_TOKENS
}
