/** Hugging Face checkpoint reading: config.json, memory-mapped safetensors, tokenizer.json, generation_config.json. */
package dev.prism.llm.checkpoint;
