/** ONNX graph building in Java (ModelProto written with CodedOutputStream) and the per-block graphs of the model runtime. */
package dev.prism.llm.onnx;
