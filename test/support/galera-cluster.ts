import { execFile } from 'node:child_process';
import { join } from 'node:path';

/**
 * The three-node MariaDB Galera Cluster of scripts/galera-cluster.sh, for the tests and the bench that
 * need synchronous multi-master replication and a node that dies mid-rush. The script owns the
 * cluster (it outlives this process, so a test that fails before galeraDown leaves it for the next `up`
 * or a manual `down`); this module only runs it. It needs root: the data folders belong to mysql.
 * GALERA_DIR and the GALERA_*_PORT_BASE variables of the environment reach the script unchanged.
 */
const SCRIPT = join(__dirname, '../../scripts/galera-cluster.sh');

// `up` creates three data folders and makes two full copies (rsync SST) one after the other, on a
// machine whose 2 cores the bench or other suites may be using: tens of seconds, more when busy.
const UP_TIMEOUT_MS = 10 * 60_000;
// A rejoin after SIGKILL runs InnoDB recovery twice (--wsrep-recover, then the start) before IST or SST.
const START_TIMEOUT_MS = 5 * 60_000;
// SIGTERM gets 30 s per node in the script before SIGKILL.
const DOWN_TIMEOUT_MS = 2 * 60_000;
const QUICK_TIMEOUT_MS = 30_000;

/** Starts the cluster (or finds it running) and answers its three URLs, `mysql://root@127.0.0.1:<port>/`. */
export async function galeraUp(): Promise<string[]> {
  const stdout = await run(['up'], UP_TIMEOUT_MS);
  const line = stdout
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('GALERA_URLS='));
  if (!line) throw new Error(`galera-cluster.sh up printed no GALERA_URLS line:\n${stdout}`);
  return line.slice('GALERA_URLS='.length).split(',');
}

export async function galeraDown(): Promise<void> {
  await run(['down'], DOWN_TIMEOUT_MS);
}

/** SIGKILL to node `n` (1-3): a crash, not a shutdown; the others notice within a few seconds. */
export async function killNode(n: number): Promise<void> {
  await run(['kill', String(n)], QUICK_TIMEOUT_MS);
}

/** Starts node `n` again and waits until it has caught up with the others (Synced). */
export async function startNode(n: number): Promise<void> {
  await run(['start', String(n)], START_TIMEOUT_MS);
}

/**
 * Node `n`'s wsrep_local_state_comment (Synced, Donor/Desynced, Joined...), 'down' when its mariadbd is
 * not running, 'unreachable' when it runs but answers no query (during a state transfer or recovery).
 */
export async function nodeState(n: number): Promise<string> {
  const stdout = await run(['status'], QUICK_TIMEOUT_MS);
  const line = stdout.split('\n').find((l) => l.startsWith(`node${n} `));
  if (!line) throw new Error(`galera-cluster.sh status has no line for node ${n}:\n${stdout}`);
  if (line.startsWith(`node${n} down`)) return 'down';
  return /\bstate=(\S+)/.exec(line)?.[1] ?? 'unreachable';
}

function run(args: string[], timeout: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(SCRIPT, args, { timeout, maxBuffer: 4 * 1024 * 1024 }, (error, stdout, stderr) => {
      // The script's progress and the failing node's error log tail are on stderr.
      const how = error?.killed ? `timed out after ${timeout} ms` : `failed (exit ${error?.code})`;
      if (error) reject(new Error(`galera-cluster.sh ${args.join(' ')} ${how}:\n${stderr}`));
      else resolve(stdout);
    });
  });
}
