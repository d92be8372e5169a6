/**
 * An answer settled before the handler runs (an idempotent replay): thrown from a guard, sent by the
 * exception filter exactly as stored, body and status both.
 */
export class PresetAnswer extends Error {
  constructor(
    readonly status: number,
    readonly jsonBody: string,
    readonly headers: Record<string, string> = {},
  ) {
    super('preset answer');
  }
}
