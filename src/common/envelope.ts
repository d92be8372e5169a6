/** The response envelope of CONTRACT section 1. */
export interface Envelope<T = unknown> {
  code: number;
  msg: string;
  data: T;
  total?: number;
}

/** A page of items; the envelope adapter lifts `total` next to `data`. */
export class Page<T> {
  constructor(
    readonly items: T[],
    readonly total: number,
  ) {}
}

/** A value the envelope adapter must send as it is (files, images, streams already written). */
export class RawResponse {
  constructor(
    readonly body: Buffer | string,
    readonly contentType: string,
    readonly headers: Record<string, string> = {},
  ) {}
}
