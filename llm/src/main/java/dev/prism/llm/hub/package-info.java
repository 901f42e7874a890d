/** Model download from the Hugging Face Hub (pinned revisions, resumable, sha256-checked cache, offline mode) and the local registry. */
package dev.prism.llm.hub;
