// Plain-object shapes of the onnx.proto messages (snake_case, as protobufjs reads and writes them); no logic.

export interface EntryMsg {
  key: string;
  value: string;
}

export interface TensorMsg {
  name?: string;
  dims?: number[];
  data_type?: number;
  raw_data?: Uint8Array;
  float_data?: number[];
  int32_data?: number[];
  int64_data?: number[];
  double_data?: number[];
  external_data?: EntryMsg[];
  data_location?: number;
}

export interface DimensionMsg {
  dim_value?: number;
  dim_param?: string;
}

export interface ValueInfoMsg {
  name?: string;
  type?: { tensor_type?: { elem_type?: number; shape?: { dim?: DimensionMsg[] } } };
}

export interface AttributeMsg {
  name?: string;
  type?: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  t?: TensorMsg;
  floats?: number[];
  ints?: number[];
}

export interface NodeMsg {
  name?: string;
  op_type?: string;
  domain?: string;
  input?: string[];
  output?: string[];
  attribute?: AttributeMsg[];
}

export interface GraphMsg {
  name?: string;
  node?: NodeMsg[];
  initializer?: TensorMsg[];
  input?: ValueInfoMsg[];
  output?: ValueInfoMsg[];
}

export interface ModelMsg {
  ir_version?: number;
  producer_name?: string;
  producer_version?: string;
  doc_string?: string;
  graph?: GraphMsg;
  opset_import?: { domain?: string; version?: number }[];
  metadata_props?: EntryMsg[];
}
