/** The one stage runtime: transactional consume-transform-produce with retries, dead letters and checkpoints. */
package dev.prism.streaming.runtime;
