// The subset of onnx.proto (proto2) this package reads and writes, as a protobufjs JSON descriptor with the
// official field numbers; not the whole spec (no functions, sparse tensors, training info).
import protobuf from "protobufjs";

const f = (type: string, id: number, rule?: "repeated") => (rule ? { type, id, rule } : { type, id });

const descriptor = {
  nested: {
    onnx: {
      nested: {
        StringStringEntryProto: { fields: { key: f("string", 1), value: f("string", 2) } },
        OperatorSetIdProto: { fields: { domain: f("string", 1), version: f("int64", 2) } },
        TensorProto: {
          fields: {
            dims: f("int64", 1, "repeated"),
            data_type: f("int32", 2),
            float_data: f("float", 4, "repeated"),
            int32_data: f("int32", 5, "repeated"),
            int64_data: f("int64", 7, "repeated"),
            name: f("string", 8),
            raw_data: f("bytes", 9),
            double_data: f("double", 10, "repeated"),
            doc_string: f("string", 12),
            external_data: f("StringStringEntryProto", 13, "repeated"),
            data_location: f("int32", 14),
          },
        },
        TensorShapeProto: {
          fields: { dim: f("Dimension", 1, "repeated") },
          nested: {
            Dimension: {
              oneofs: { value: { oneof: ["dim_value", "dim_param"] } },
              fields: { dim_value: f("int64", 1), dim_param: f("string", 2), denotation: f("string", 3) },
            },
          },
        },
        TypeProto: {
          oneofs: { value: { oneof: ["tensor_type"] } },
          fields: { tensor_type: f("Tensor", 1), denotation: f("string", 6) },
          nested: { Tensor: { fields: { elem_type: f("int32", 1), shape: f("TensorShapeProto", 2) } } },
        },
        ValueInfoProto: { fields: { name: f("string", 1), type: f("TypeProto", 2), doc_string: f("string", 3) } },
        AttributeProto: {
          fields: {
            name: f("string", 1),
            f: f("float", 2),
            i: f("int64", 3),
            s: f("bytes", 4),
            t: f("TensorProto", 5),
            floats: f("float", 7, "repeated"),
            ints: f("int64", 8, "repeated"),
            strings: f("bytes", 9, "repeated"),
            doc_string: f("string", 13),
            type: f("int32", 20),
          },
        },
        NodeProto: {
          fields: {
            input: f("string", 1, "repeated"),
            output: f("string", 2, "repeated"),
            name: f("string", 3),
            op_type: f("string", 4),
            attribute: f("AttributeProto", 5, "repeated"),
            doc_string: f("string", 6),
            domain: f("string", 7),
          },
        },
        GraphProto: {
          fields: {
            node: f("NodeProto", 1, "repeated"),
            name: f("string", 2),
            initializer: f("TensorProto", 5, "repeated"),
            doc_string: f("string", 10),
            input: f("ValueInfoProto", 11, "repeated"),
            output: f("ValueInfoProto", 12, "repeated"),
            value_info: f("ValueInfoProto", 13, "repeated"),
          },
        },
        ModelProto: {
          fields: {
            ir_version: f("int64", 1),
            producer_name: f("string", 2),
            producer_version: f("string", 3),
            domain: f("string", 4),
            model_version: f("int64", 5),
            doc_string: f("string", 6),
            graph: f("GraphProto", 7),
            opset_import: f("OperatorSetIdProto", 8, "repeated"),
            metadata_props: f("StringStringEntryProto", 14, "repeated"),
          },
        },
      },
    },
  },
};

const root = protobuf.Root.fromJSON(descriptor);

export const ModelProto = root.lookupType("onnx.ModelProto");
export const TensorProtoType = root.lookupType("onnx.TensorProto");

/** AttributeProto.AttributeType values used here. */
export const ATTR_TYPE = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7 } as const;
export const DATA_LOCATION_EXTERNAL = 1;
