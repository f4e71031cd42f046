// Preloaded into the rehearsal's web processes through NODE_OPTIONS (it lives here, not in
// the clone, so the clone is exactly what was committed):
// - their listen(PORT) binds 127.0.0.1: a rehearsal opens no port to the network;
// - the app process ends when the test's end of its stdin closes, so it does not outlive
//   a test process that was killed outright.
import { Server } from 'node:net';

const listen = Server.prototype.listen;
Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number' && typeof args[1] !== 'string') args.splice(1, 0, '127.0.0.1');
  return listen.apply(this, args);
};

// npm and tsx's launcher load this too; only the app itself watches stdin
if (/[\\/]src[\\/]server\.ts$/.test(process.argv[1] ?? '')) {
  process.stdin.on('end', () => process.kill(process.pid, 'SIGTERM'));
  process.stdin.on('error', () => process.kill(process.pid, 'SIGTERM'));
  process.stdin.resume();
}
