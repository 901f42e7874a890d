/** Vision-language models (LLaVA-1.5, Idefics3/SmolVLM): vision tower, projector, image token placement, the facade. */
package dev.prism.llm.vlm;
