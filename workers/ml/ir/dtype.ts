// Element types of the IR, their ONNX codes, sizes and typed-array storage; not tensor values (tensor.ts).

export const DTYPES = ["float32", "float16", "bfloat16", "float64", "int64", "int32", "bool", "int8", "uint8"] as const;
export type DType = (typeof DTYPES)[number];

/** Storage per dtype; float16/bfloat16 hold their IEEE / bfloat16 bit patterns. */
export interface DataByDType {
  float32: Float32Array;
  float16: Uint16Array;
  bfloat16: Uint16Array;
  float64: Float64Array;
  int64: BigInt64Array;
  int32: Int32Array;
  bool: Uint8Array;
  int8: Int8Array;
  uint8: Uint8Array;
}
export type TensorData = DataByDType[DType];

/** TensorProto.DataType codes from onnx.proto. */
export const ONNX_DTYPE_CODE: Readonly<Record<DType, number>> = {
  float32: 1,
  uint8: 2,
  int8: 3,
  int32: 6,
  int64: 7,
  bool: 9,
  float16: 10,
  float64: 11,
  bfloat16: 16,
};

export const BYTES_PER_ELEMENT: Readonly<Record<DType, number>> = {
  float32: 4,
  float16: 2,
  bfloat16: 2,
  float64: 8,
  int64: 8,
  int32: 4,
  bool: 1,
  int8: 1,
  uint8: 1,
};

export function isDType(s: string): s is DType {
  return (DTYPES as readonly string[]).includes(s);
}

export function dtypeFromOnnxCode(code: number): DType {
  for (const d of DTYPES) if (ONNX_DTYPE_CODE[d] === code) return d;
  throw new Error(`ONNX data type ${code} is not supported (supported: ${DTYPES.join(", ")})`);
}

export function isFloatDType(d: DType): boolean {
  return d === "float32" || d === "float16" || d === "bfloat16" || d === "float64";
}

export function isIntDType(d: DType): boolean {
  return d === "int64" || d === "int32" || d === "int8" || d === "uint8";
}

export function allocData<D extends DType>(dtype: D, n: number): DataByDType[D] {
  const make: { [K in DType]: (n: number) => DataByDType[K] } = {
    float32: (k) => new Float32Array(k),
    float16: (k) => new Uint16Array(k),
    bfloat16: (k) => new Uint16Array(k),
    float64: (k) => new Float64Array(k),
    int64: (k) => new BigInt64Array(k),
    int32: (k) => new Int32Array(k),
    bool: (k) => new Uint8Array(k),
    int8: (k) => new Int8Array(k),
    uint8: (k) => new Uint8Array(k),
  };
  return make[dtype](n);
}
