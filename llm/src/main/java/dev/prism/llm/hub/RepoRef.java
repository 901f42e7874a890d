package dev.prism.llm.hub;

import java.util.regex.Pattern;

/** "owner/name[@revision]" (revision defaults to main). */
public record RepoRef(String repo, String revision) {
    private static final Pattern REPO = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern REV = Pattern.compile("[A-Za-z0-9._/-]+");

    public static RepoRef parse(String spec) {
        String s = spec.trim();
        int at = s.indexOf('@');
        String repo = at < 0 ? s : s.substring(0, at);
        String rev = at < 0 ? "main" : s.substring(at + 1);
        if (!REPO.matcher(repo).matches() || !REV.matcher(rev).matches() || rev.contains("..")) {
            throw new HubException("'" + spec + "' is not a model reference; use owner/name or owner/name@revision "
                    + "(e.g. HuggingFaceTB/SmolVLM-256M-Instruct@main)");
        }
        return new RepoRef(repo, rev);
    }

    /** The cache folder name, as huggingface_hub names it. */
    public String cacheFolder() {
        return "models--" + repo.replace("/", "--");
    }

    @Override
    public String toString() {
        return repo + "@" + revision;
    }
}
