// A TCP proxy in front of a MySQL/MariaDB server that can lose the answer to a COMMIT: the
// server commits, and the app's connection drops before the server's OK reaches it. That
// is what the app meets when the database goes away at that very moment (a write whose
// outcome the app cannot know), made to happen on purpose instead of by a lucky stop.
import { connect, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

const COM_QUERY = 0x03;
/** enough of a packet's payload to tell a COMMIT: the command byte and the statement's start */
const HEAD = 16;

export interface MysqlProxy {
  /** the server URL through the proxy: TEST_MYSQL_URL with the proxy's host and port */
  url: string;
  /** The next COMMIT is carried out by the server, and its answer never reaches the app; resolves once that happened. */
  loseNextCommitReply(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Calls `onCommand` with the start of each packet the client sends, however the stream is
 * cut into chunks (a MySQL packet: 3-byte little-endian length, sequence byte, payload).
 */
function packetStarts(onCommand: (payloadStart: Buffer) => void): (chunk: Buffer) => void {
  let head = Buffer.alloc(0);
  let skip = 0; // bytes of the current packet's payload beyond HEAD, still to come
  return (chunk) => {
    let data = chunk;
    while (data.length > 0) {
      if (skip > 0) {
        const n = Math.min(skip, data.length);
        skip -= n;
        data = data.subarray(n);
        continue;
      }
      head = Buffer.concat([head, data]);
      data = Buffer.alloc(0);
      if (head.length < 4) return;
      const length = head.readUIntLE(0, 3);
      const wanted = 4 + Math.min(length, HEAD);
      if (head.length < wanted) return;
      onCommand(head.subarray(4, wanted));
      const end = 4 + length;
      if (head.length >= end) data = head.subarray(end);
      else skip = end - head.length;
      head = Buffer.alloc(0);
    }
  };
}

const isCommit = (payload: Buffer) => payload[0] === COM_QUERY && /^\s*commit\b/i.test(payload.subarray(1).toString('latin1'));

export async function startMysqlProxy(serverUrl: string): Promise<MysqlProxy> {
  const target = new URL(serverUrl);
  const sockets = new Set<Socket>();
  let armed: (() => void) | null = null;

  const server = createServer((client) => {
    const upstream = connect(Number(target.port || 3306), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined); // one side gone: the other is ended below
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());

    let loseReply: (() => void) | null = null;
    const watch = packetStarts((payload) => {
      if (armed && isCommit(payload)) {
        loseReply = armed;
        armed = null;
      }
    });
    client.on('data', (chunk: Buffer) => {
      watch(chunk);
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!loseReply) {
        client.write(chunk);
        return;
      }
      // the server has answered the COMMIT, so it is done; the app never hears it
      const done = loseReply;
      loseReply = null;
      client.destroy();
      upstream.destroy();
      done();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = new URL(serverUrl);
  url.hostname = '127.0.0.1';
  url.port = String(port);

  return {
    url: url.toString(),
    loseNextCommitReply: () => new Promise<void>((resolve) => (armed = resolve)),
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
