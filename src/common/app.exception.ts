import { ResultCodeEntry } from './result-code';

/** The one exception services throw: a business code, an optional message and optional `data` (field errors). */
export class AppException extends Error {
  constructor(
    readonly result: ResultCodeEntry,
    message?: string,
    readonly data: unknown = null,
    readonly headers: Record<string, string> = {},
    /** Only where the contract pairs a code with another status (health: 503 with 5000). */
    readonly status: number = result.status,
  ) {
    super(message ?? result.msg);
  }
}
