/**
 * Turns any error into one line for the user and an exit code. NightjarErrors carry their own code;
 * anything else is a bug, reported as such with the stack only under NIGHTJAR_DEBUG=1.
 */
import { NightjarError } from '../model/errors.js';

/** Prints the error and returns the process exit code to use. */
export function reportError(err: unknown): number {
  if (err instanceof NightjarError) {
    process.stderr.write(`nightjar: ${err.message}\n`);
    if (process.env.NIGHTJAR_DEBUG && err.cause) process.stderr.write(`${String((err.cause as Error).stack ?? err.cause)}\n`);
    return err.exitCode;
  }
  const e = err as { code?: string; message?: string; stack?: string };
  if (e && e.code === 'EPIPE') return 0;
  process.stderr.write(`nightjar: internal error: ${e?.message ?? String(err)}\n`);
  process.stderr.write(
    process.env.NIGHTJAR_DEBUG ? `${e?.stack ?? ''}\n` : 'Run again with NIGHTJAR_DEBUG=1 for details, and please report it.\n',
  );
  return 70;
}
