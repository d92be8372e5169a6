import type TestAgent from 'supertest/lib/agent';
import { API, sleep } from './ticketing';

/** Anything with an HTTP agent: an app process, a spawned app. */
export interface ProbedApp {
  http: TestAgent;
}

export interface HealthAnswer {
  app: number;
  /** The HTTP status, 0 when no answer came. */
  status: number;
  start: number;
  end: number;
  ms: number;
  down: boolean;
  up: boolean;
}

/** Polls every app's health every 250 ms until stopped, recording each answer. */
export class HealthProbes {
  readonly answers: HealthAnswer[] = [];
  private stopped = false;
  private readonly loops: Promise<void>[];

  constructor(private readonly apps: ProbedApp[]) {
    this.loops = apps.map((app, i) => this.poll(app, i));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.loops);
  }

  /** When every app last answered `up` after `since` (waits at most `limitMs`). */
  async untilAllUp(since: number, limitMs: number): Promise<number> {
    const deadline = Date.now() + limitMs;
    while (Date.now() < deadline) {
      const up = this.apps.map((_, app) => this.answers.find((a) => a.app === app && a.start >= since && a.up));
      if (up.every(Boolean)) return Math.max(...up.map((a) => (a as HealthAnswer).end));
      await sleep(100);
    }
    throw new Error(`health did not come back within ${limitMs} ms`);
  }

  private async poll(app: ProbedApp, index: number): Promise<void> {
    for (let i = 0; i < 1000 && !this.stopped; i++) {
      const start = Date.now();
      const res = await app.http
        .get(`${API}/health`)
        .timeout(10_000)
        .catch(() => undefined);
      const end = Date.now();
      const body = res?.body as { code?: number; data?: { status?: string; db?: string } } | undefined;
      this.answers.push({
        app: index,
        status: res?.status ?? 0,
        start,
        end,
        ms: end - start,
        down: res?.status === 503 && body?.code === 5000 && body.data?.status === 'error' && body.data.db === 'down',
        up: res?.status === 200 && body?.code === 1000 && body.data?.status === 'ok' && body.data.db === 'up',
      });
      await sleep(250);
    }
  }
}
