// Measured memory copy bandwidth and the decode-speed bound it implies; not a model run.
import { Worker } from "node:worker_threads";

export interface TBandwidth {
  /** Best (read + written) bytes per second over all repeats and thread counts, STREAM's "Copy" convention. */
  bytesPerSecond: number;
  /** The thread count of that best repeat. */
  threads: number;
  bufferBytes: number;
}

// Plain JavaScript so the workers need no TypeScript loader: each copies its slice when told, then reports.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const src = new Uint8Array(workerData.src, workerData.start, workerData.length);
const dst = new Uint8Array(workerData.dst, workerData.start, workerData.length);
parentPort.on("message", () => { dst.set(src); parentPort.postMessage(0); });
`;

async function timeParallelCopies(
  src: SharedArrayBuffer,
  dst: SharedArrayBuffer,
  threads: number,
  repeats: number,
): Promise<number[]> {
  const slice = Math.floor(src.byteLength / threads / 64) * 64;
  const workers = Array.from(
    { length: threads },
    (_, i) =>
      new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { src, dst, start: i * slice, length: i === threads - 1 ? src.byteLength - i * slice : slice },
      }),
  );
  const round = (): Promise<unknown[]> =>
    Promise.all(
      workers.map(
        (w) =>
          new Promise((resolve) => {
            w.once("message", resolve);
            w.postMessage(0);
          }),
      ),
    );
  try {
    await round(); // warm-up: threads started, pages touched
    const seconds: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const t = process.hrtime.bigint();
      await round();
      seconds.push(Number(process.hrtime.bigint() - t) / 1e9);
    }
    return seconds;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/**
 * Copies a `bufferBytes` buffer `repeats` times on the calling thread and on 2..`maxThreads` worker threads
 * (each copying its slice), and keeps the best rate. A copy reads and writes each byte, so the rate counts
 * both (as STREAM does): the traffic the memory system sustained, which a read-only stream of weights can
 * approach but not beat by much.
 */
export async function measureCopyBandwidth(
  maxThreads: number,
  bufferBytes = 512 * 2 ** 20,
  repeats = 10,
): Promise<TBandwidth> {
  const src = new SharedArrayBuffer(bufferBytes);
  const dst = new SharedArrayBuffer(bufferBytes);
  new Uint8Array(src).fill(1);
  new Uint8Array(dst).fill(2);
  let best: TBandwidth = { bytesPerSecond: 0, threads: 1, bufferBytes };
  const consider = (seconds: number, threads: number): void => {
    const rate = (2 * bufferBytes) / seconds;
    if (rate > best.bytesPerSecond) best = { bytesPerSecond: rate, threads, bufferBytes };
  };
  const a = new Uint8Array(src);
  const b = new Uint8Array(dst);
  b.set(a);
  for (let r = 0; r < repeats; r++) {
    const t = process.hrtime.bigint();
    b.set(a);
    consider(Number(process.hrtime.bigint() - t) / 1e9, 1);
  }
  for (let threads = 2; threads <= maxThreads; threads++) {
    for (const s of await timeParallelCopies(src, dst, threads, repeats)) consider(s, threads);
  }
  return best;
}

// Each worker compares its slice of two equal buffers (memcmp, glibc's vectorised loop): every byte of both is
// read and nothing is written, as a decode step streams its weights.
const READ_WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const a = Buffer.from(workerData.a, workerData.start, workerData.length);
const b = Buffer.from(workerData.b, workerData.start, workerData.length);
parentPort.on("message", () => { parentPort.postMessage(Buffer.compare(a, b)); });
`;

async function timeParallelReads(
  a: SharedArrayBuffer,
  b: SharedArrayBuffer,
  threads: number,
  repeats: number,
): Promise<number[]> {
  const slice = Math.floor(a.byteLength / threads / 64) * 64;
  const workers = Array.from(
    { length: threads },
    (_, i) =>
      new Worker(READ_WORKER_SOURCE, {
        eval: true,
        workerData: { a, b, start: i * slice, length: i === threads - 1 ? a.byteLength - i * slice : slice },
      }),
  );
  const round = (): Promise<unknown[]> =>
    Promise.all(
      workers.map(
        (w) =>
          new Promise((resolve, reject) => {
            w.once("message", (m) => (m === 0 ? resolve(m) : reject(new Error("read bandwidth: buffers differ"))));
            w.postMessage(0);
          }),
      ),
    );
  try {
    await round();
    const seconds: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const t = process.hrtime.bigint();
      await round();
      seconds.push(Number(process.hrtime.bigint() - t) / 1e9);
    }
    return seconds;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/**
 * Streaming READ bandwidth: two equal `bufferBytes / 2` buffers compared (memcmp) on the calling thread and on
 * 2..`maxThreads` worker threads (each comparing its slices), best repeat. Bytes read per second, nothing
 * written: what a decode step does to its weights, so the bound from it is the true one (a copy's rate counts
 * the written bytes too and sits below a pure read's on most machines).
 */
export async function measureReadBandwidth(
  maxThreads: number,
  bufferBytes = 1024 * 2 ** 20,
  repeats = 10,
): Promise<TBandwidth> {
  const half = bufferBytes / 2;
  const a = new SharedArrayBuffer(half);
  const b = new SharedArrayBuffer(half);
  new Uint8Array(a).fill(7);
  new Uint8Array(b).fill(7);
  let best: TBandwidth = { bytesPerSecond: 0, threads: 1, bufferBytes };
  const consider = (seconds: number, threads: number): void => {
    const rate = bufferBytes / seconds;
    if (rate > best.bytesPerSecond) best = { bytesPerSecond: rate, threads, bufferBytes };
  };
  const ba = Buffer.from(a);
  const bb = Buffer.from(b);
  Buffer.compare(ba, bb);
  for (let r = 0; r < repeats; r++) {
    const t = process.hrtime.bigint();
    if (Buffer.compare(ba, bb) !== 0) throw new Error("read bandwidth: buffers differ");
    consider(Number(process.hrtime.bigint() - t) / 1e9, 1);
  }
  for (let threads = 2; threads <= maxThreads; threads++) {
    for (const s of await timeParallelReads(a, b, threads, repeats)) consider(s, threads);
  }
  return best;
}

/** Single-sequence decode tokens/s if every weight byte of a step came from memory at `bandwidth`. */
export function bandwidthBoundTokPerS(bandwidth: TBandwidth, weightBytesPerToken: number): number {
  return bandwidth.bytesPerSecond / weightBytesPerToken;
}
