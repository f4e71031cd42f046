// A Redis server of a test's own (redis-server on a port of its own), for tests that stop
// it or whose app processes use the default channel names: no other suite hears or
// disturbs it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

export const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;

/** Starts redis-server on `port` and resolves once it answers PING. */
export async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  for (let i = 0; i < 50; i++) {
    if (spawnSync('redis-cli', ['-p', String(port), 'ping']).stdout?.toString().includes('PONG')) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('redis-server did not start');
}

/** Kills it at once (as a crash or a lost network would) and resolves when it is gone. */
export async function killRedis(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}
