import { autocannon, CannonOptions, CannonResult } from '../lib/untyped';
import { percentile, round } from '../lib/util';
import { workerMain } from '../lib/worker';

export type CannonInput =
  | { kind: 'get'; port: number; path: string; connections: number; warmupSec: number; durationSec: number }
  | {
      kind: 'login';
      port: number;
      connections: number;
      warmupSec: number;
      durationSec: number;
      accounts: string[];
      password: string;
      captchaCode: string;
    };

export interface CannonOutput {
  rps: number;
  p50: number;
  p99: number;
  total: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  durationSec: number;
  /** Requests of the warm-up and the measure together: what the server's CPU time of the phase served. */
  allRequests: number;
  /** login only: successful logins per second, and the latency of the login request itself */
  loginsPerSec?: number;
  loginP50?: number;
  loginP99?: number;
  loginFailures?: number;
  /** autocannon's own CPU time (user + system) over warm-up and measure. */
  clientCpuMs?: number;
}

function summary(result: CannonResult): CannonOutput {
  return {
    rps: round(result.requests.total / result.duration, 1),
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    durationSec: round(result.duration, 2),
    allRequests: result.requests.total,
  };
}

export const ACCEPT_ENCODING = 'gzip, deflate, br';

async function get(input: Extract<CannonInput, { kind: 'get' }>): Promise<CannonOutput> {
  const base: Omit<CannonOptions, 'duration'> = {
    url: `http://127.0.0.1:${input.port}/api/v1${input.path}`,
    connections: input.connections,
    timeout: 10,
    // What every browser and mobile HTTP stack sends; autocannon reads the body without unzipping it.
    headers: { 'accept-encoding': ACCEPT_ENCODING },
  };
  const cpuAtStart = process.cpuUsage();
  const warm = input.warmupSec > 0 ? (await autocannon({ ...base, duration: input.warmupSec })).requests.total : 0;
  const out = summary(await autocannon({ ...base, duration: input.durationSec }));
  const cpu = process.cpuUsage(cpuAtStart);
  return { ...out, allRequests: out.allRequests + warm, clientCpuMs: round((cpu.user + cpu.system) / 1000, 0) };
}

/** Each connection loops: a captcha, then a login with it (the fixed test answer), round-robin over the accounts. */
async function login(input: Extract<CannonInput, { kind: 'login' }>): Promise<CannonOutput> {
  let next = 0;
  let logins = 0;
  let failures = 0;
  let latencies: number[] = [];
  const options = (duration: number): CannonOptions => ({
    url: `http://127.0.0.1:${input.port}`,
    connections: input.connections,
    duration,
    timeout: 30,
    requests: [
      {
        method: 'GET',
        path: '/api/v1/captcha',
        onResponse: (status, body, context) => {
          context.captchaId =
            status === 200 ? (JSON.parse(body) as { data: { captchaId: string } }).data.captchaId : '';
        },
      },
      {
        method: 'POST',
        path: '/api/v1/auth/login',
        setupRequest: (req, context) => {
          context.startedAt = performance.now();
          const account = input.accounts[next++ % input.accounts.length];
          return {
            ...req,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              account,
              password: input.password,
              captchaId: context.captchaId,
              captchaCode: input.captchaCode,
            }),
          };
        },
        onResponse: (status, _body, context) => {
          latencies.push(performance.now() - (context.startedAt as number));
          if (status === 200) logins++;
          else failures++;
        },
      },
    ],
  });
  const warm = input.warmupSec > 0 ? (await autocannon(options(input.warmupSec))).requests.total : 0;
  logins = failures = 0;
  latencies = [];
  const result = await autocannon(options(input.durationSec));
  const out = summary(result);
  return {
    ...out,
    allRequests: out.allRequests + warm,
    loginsPerSec: round(logins / result.duration, 1),
    loginP50: round(percentile(latencies, 50), 1),
    loginP99: round(percentile(latencies, 99), 1),
    loginFailures: failures,
  };
}

workerMain<CannonInput, CannonOutput>((input) => (input.kind === 'get' ? get(input) : login(input)));
