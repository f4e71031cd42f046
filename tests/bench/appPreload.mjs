// Preloaded into the app process (and the relay) by the bench only (src/ is untouched),
// plain JavaScript so that it loads with or without tsx (the app may run from dist/):
// - src/server.ts listens on every interface; a benchmark has no business opening a port
//   to the network, so a listen(port, callback) is bound to 127.0.0.1;
// - the bench holds the other end of stdin: when the bench dies, even by SIGKILL, the
//   pipe closes and the app goes with it instead of lingering.
import { Server } from 'node:net';

const listen = Server.prototype.listen;
Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number' && typeof args[1] !== 'string') args.splice(1, 0, '127.0.0.1');
  return listen.apply(this, args);
};

process.stdin.on('end', () => process.kill(process.pid, 'SIGTERM'));
process.stdin.on('error', () => process.kill(process.pid, 'SIGTERM'));
process.stdin.resume();
