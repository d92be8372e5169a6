/** The part of newman's Node API that scripts/postman-run.ts uses (newman ships no types). */
declare module 'newman' {
  interface NewmanVariable {
    key: string;
    value: unknown;
    type?: string;
    enabled?: boolean;
  }

  interface NewmanRunOptions {
    collection: string | object;
    environment?: string | { values: NewmanVariable[]; [key: string]: unknown };
    reporters?: string | string[];
    timeoutRequest?: number;
    bail?: boolean;
  }

  interface NewmanStat {
    total: number;
    failed: number;
    pending?: number;
  }

  interface NewmanFailure {
    error: { name: string; message: string; test?: string };
    source?: { name?: string };
    at?: string;
  }

  interface NewmanRunSummary {
    run: {
      stats: Record<'requests' | 'assertions' | 'testScripts' | 'prerequestScripts' | 'items', NewmanStat>;
      failures: NewmanFailure[];
      error?: Error | null;
    };
  }

  export function run(
    options: NewmanRunOptions,
    callback: (error: Error | null, summary: NewmanRunSummary) => void,
  ): unknown;
}
