/**
 * Test support for suites that drive Debian's softflowd and nfdump: which of the tools are missing,
 * waiting for a child to exit, and replaying a capture through softflowd to a loopback collector.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The tools among `tools` that are not on the PATH. */
export function missingTools(tools: readonly string[]): string[] {
  return tools.filter((t) => spawnSync('sh', ['-c', `command -v ${t}`], { stdio: 'ignore' }).status !== 0);
}

/** Resolves with a child's exit code, or rejects when it has not exited within `ms`. */
export function exited(child: ChildProcess, ms: number): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${child.spawnfile} did not exit within ${ms} ms`)), ms);
    child.once('exit', (code) => {
      clearTimeout(t);
      resolve(code);
    });
  });
}

/**
 * Runs softflowd on a capture, exporting to 127.0.0.1:port. softflowd 1.1.0 reading a file waits on its
 * control socket before its first read, so it is nudged with `softflowctl statistics` until it has read
 * the whole capture, exported every flow and exited on its own.
 */
export async function softflowd(dir: string, pcap: string, port: number, version: number): Promise<void> {
  const ctl = path.join(dir, 'sf.ctl');
  const child = spawn('softflowd', ['-r', pcap, '-n', `127.0.0.1:${port}`, '-v', String(version), ...(version === 5 ? [] : ['-6']), '-d', '-m', '1000000', '-c', ctl, '-p', path.join(dir, 'sf.pid')], {
    stdio: 'ignore',
  });
  try {
    for (let i = 0; i < 100 && child.exitCode === null; i++) {
      await sleep(100);
      spawnSync('softflowctl', ['-c', ctl, 'statistics'], { stdio: 'ignore', timeout: 2000 });
    }
    assert.equal(await exited(child, 1000), 0, `softflowd on ${pcap}`);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}
