/**
 * The error catalog: one base class with a stable code, so the CLI can print a clear message and
 * pick an exit code without ever showing a stack trace for a user's bad input.
 */

/** Stable error codes, grouped by the exit code the CLI uses for them. */
export const ERROR_CODES = {
  NJ_USAGE: 2, // bad flags or arguments
  NJ_INPUT_UNREADABLE: 3, // a file could not be opened or read at all
  NJ_INPUT_UNRECOGNISED: 3, // content matched no decoder
  NJ_NOTHING_INGESTED: 3, // every input failed
  NJ_STORE: 4, // the database could not be opened or written
  NJ_QUERY: 2, // a query argument is invalid
  NJ_CONFIG: 2, // nightjar.yaml (or a file it names) is invalid
  NJ_INTERNAL: 70,
} as const;

/** A stable, low-cardinality error code. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** Base error for everything Nightjar reports to users; `code` is stable, `message` says what to do. */
export class NightjarError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = 'NightjarError';
  }
  /** Process exit code for this error. */
  get exitCode(): number {
    return ERROR_CODES[this.code];
  }
}
