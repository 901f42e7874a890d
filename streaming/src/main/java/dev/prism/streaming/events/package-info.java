/** Prism's event records and their versioned compact serde (JSON metadata + binary payload in one envelope). */
package dev.prism.streaming.events;
