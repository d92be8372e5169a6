import type { Response } from 'supertest';
import { AppProcess, startAppProcesses } from '../support/app-process';
import { galeraUrls } from '../support/galera-urls';

/**
 * One app process per node of the cluster, each on the run's database through its own node and all
 * on one Redis (CONTRACT 15): apps[i] talks to node i + 1. JWT_SECRET is the in-process test app's,
 * so that the tokens its factories issue hold on every instance; boot that app first. The processes
 * log errors, so that a failure can show what an instance said (`logsOf`).
 */
export function startNodeApps(env: Record<string, string> = {}): Promise<AppProcess[]> {
  const redisUrl = process.env.TEST_REDIS_URL;
  if (!redisUrl) {
    throw new Error('the Galera suite needs TEST_REDIS_URL (e.g. redis://127.0.0.1:6379): the instances share Redis');
  }
  const urls = galeraUrls(process.env.TEST_GALERA_DATABASE);
  return startAppProcesses(urls.length, (i) => ({
    DATABASE_URL: urls[i],
    JWT_SECRET: process.env.JWT_SECRET as string,
    REDIS_URL: redisUrl,
    SWEEP_SECONDS: '1',
    ...env,
  }));
}

/** The tail of what these instances logged, one block each, for the report of a failure. */
export function logsOf(apps: AppProcess[], instances: Iterable<number>): string {
  return [...new Set(instances)]
    .sort()
    .map((i) => `--- instance ${i + 1} (node ${i + 1}) logged:\n${apps[i].output().slice(-3000)}`)
    .join('\n');
}

/** An answer as a failure message shows it: which instance, status and the whole body. */
export const answerOf = (res: Response, instance?: number) =>
  `${instance === undefined ? '' : `instance ${instance + 1}: `}${res.status} ${JSON.stringify(res.body)}`;

/** Status and code of an answer, for comparing a race's answers with what the contract allows. */
export const outcomeOf = (res: Response) => `${res.status}/${(res.body as { code?: number })?.code}`;
