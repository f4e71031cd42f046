import type { Readable } from 'node:stream';

/** How long an upload may go without bringing STALL_MIN_BYTES before it is cut (config.uploadStallMs overrides). */
export const UPLOAD_STALL_MS = 30_000;
/** Far below any real network (a weak 2G link brings kilobytes a second), far above a trickle meant to hold a turn. */
export const STALL_MIN_BYTES = 1024;

/** The client sent too little for too long; nothing of it is kept. */
export class StalledUpload extends Error {}

/**
 * Calls `onStall` when a request body brings fewer than `minBytes` in a window of `ms`
 * while it is being read. A window in which we paused the body ourselves (storage is
 * busy, a thumbnail is being made) does not count: the slowness was ours. Call the
 * returned function to stop watching; it stops by itself at the body's end.
 * Attach after the body is piped: a 'data' listener on a body nobody reads would let it flow away.
 */
export function watchStall(body: Readable, ms: number, minBytes: number, onStall: () => void): () => void {
  let bytes = 0;
  let excused = false;
  let watching = true;
  const counted = (chunk: Buffer) => (bytes += chunk.length);
  const paused = () => (excused = true);
  const judge = () => {
    if (!watching) return;
    const stalled = !excused && !body.isPaused() && bytes < minBytes;
    [bytes, excused] = [0, false];
    if (stalled) {
      stop();
      onStall();
    }
  };
  // judged after the next poll for I/O: bytes that came while the event loop was busy count
  const timer = setInterval(() => setImmediate(judge), ms);
  const stop = () => {
    watching = false;
    clearInterval(timer);
    body.off('data', counted).off('pause', paused).off('end', stop).off('close', stop);
  };
  body.on('data', counted).on('pause', paused).once('end', stop).once('close', stop);
  return stop;
}
