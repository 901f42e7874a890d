/** Claim-check storage for payloads too large for Kafka records (uploads, PCM, frames). */
package dev.prism.streaming.store;
