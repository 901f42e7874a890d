package dev.prism.llm.generate;

/** Receives each generated token as it is produced, with the text it adds (may be empty). */
@FunctionalInterface
public interface TokenListener {
    TokenListener NONE = (id, text) -> { };

    void onToken(long id, String textDelta);
}
