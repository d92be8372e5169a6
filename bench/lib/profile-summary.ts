import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

/** The package (node_modules/<name>) or the built app's folder (dist/<folder>) a frame's script is in. */
function moduleOf(url: string, functionName: string, root: string, byFile = false): string {
  const path = relative(root, url.replace('file://', ''));
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1];
  if (pkg) return pkg;
  const built = /(?:^|\/)(dist|bare)\/([^/]+)(\/[^/]+)?/.exec(path);
  if (built) return `${built[1]}/${built[2]}${byFile ? (built[3] ?? '') : ''}`;
  return url ? 'node:internal' : functionName || '(vm)';
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time per function of a .cpuprofile, biggest first: where the server's CPU went in a phase. */
export function topSelfTime(file: string, limit = 25, root = process.cwd()): string[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    total += dt;
    const frame = byId.get(id)!.callFrame;
    const where = frame.url ? `${relative(root, frame.url.replace('file://', ''))}:${frame.lineNumber + 1}` : '';
    const key = `${frame.functionName || '(anonymous)'} ${where}`.trim();
    self.set(key, (self.get(key) ?? 0) + dt);
  });
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(
      ([key, us]) =>
        `${((100 * us) / total).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(6)} ms  ${key}`,
    );
}

/** By package (node_modules/<name>) or app folder: which layer the time is spent in. */
export function selfTimeByModule(file: string, root = process.cwd()): string[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const by = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    total += dt;
    const frame = byId.get(id)!.callFrame;
    const key = moduleOf(frame.url, frame.functionName, root);
    by.set(key, (by.get(key) ?? 0) + dt);
  });
  return [...by.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 20)
    .map(([key, us]) => `${((100 * us) / total).toFixed(1).padStart(5)} %  ${key}`);
}

/**
 * Time with a package or app folder anywhere on the stack (so what it called counts too: a middleware's
 * header writes, a read's driver and sockets), per request when `requests` is given: what taking that
 * piece away would save at most. Overlaps: a caller's figure includes its callees'.
 */
export function inclusiveByModule(file: string, root = process.cwd(), requests?: number, limit = 25): string[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const keysOf = new Map<number, Set<string>>();
  const keys = (id: number): Set<string> => {
    let found = keysOf.get(id);
    if (found) return found;
    const frame = byId.get(id)!.callFrame;
    const up = parent.get(id);
    found = new Set(up === undefined ? [] : keys(up));
    if (frame.url) found.add(moduleOf(frame.url, frame.functionName, root, true));
    else if (frame.functionName === '(garbage collector)') found.add('(gc)');
    keysOf.set(id, found);
    return found;
  };
  const by = new Map<string, number>();
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    if (byId.get(id)!.callFrame.functionName === '(idle)') return;
    busy += dt;
    for (const key of keys(id)) by.set(key, (by.get(key) ?? 0) + dt);
  });
  return shares(by, busy, requests, limit);
}

/** Frames that work for whoever called them: their time goes to the nearest caller outside them. */
const FOLDED = new Set(['node:internal', '(program)', '(vm)', '(anonymous)', 'debug', 'depd']);

/**
 * A partition of the busy time per request: each sample goes to the package or app file of its
 * innermost frame, node's internals folded into their caller (a middleware's setHeader is the
 * middleware's, a driver's socket write the driver's). Unlike time on the stack this adds up, and
 * unlike self time it keeps what a piece makes node do with it.
 */
export function foldedByModule(file: string, root = process.cwd(), requests?: number, limit = 25): string[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const ownerOf = new Map<number, string>();
  const owner = (id: number): string => {
    const known = ownerOf.get(id);
    if (known) return known;
    const frame = byId.get(id)!.callFrame;
    let key: string;
    if (frame.functionName === '(garbage collector)' || frame.functionName === '(idle)') key = frame.functionName;
    else {
      key = frame.url ? moduleOf(frame.url, frame.functionName, root, true) : '(program)';
      const up = parent.get(id);
      if (FOLDED.has(key) && up !== undefined && byId.get(up)!.callFrame.functionName !== '(root)') {
        const above = owner(up);
        // A stack that is all internals (timers, socket reads) stays node's.
        if (above !== '(root)') key = above;
      }
    }
    ownerOf.set(id, key);
    return key;
  };
  const by = new Map<string, number>();
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    const key = owner(id);
    if (key === '(idle)') return;
    busy += dt;
    by.set(key, (by.get(key) ?? 0) + dt);
  });
  return shares(by, busy, requests, limit);
}

if (require.main === module) {
  for (const file of process.argv.slice(2)) {
    process.stdout.write(
      `\n== ${file}\n-- by module\n${selfTimeByModule(file).join('\n')}\n-- on the stack (inclusive)\n${inclusiveByModule(file).join('\n')}\n-- folded (internals to their caller)\n${foldedByModule(file).join('\n')}\n-- by function\n${topSelfTime(file).join('\n')}\n`,
    );
  }
}

/** The busiest keys as lines: share of the busy time and, given a request count, µs per request. */
function shares(by: Map<string, number>, busy: number, requests: number | undefined, limit: number): string[] {
  const line = (key: string, us: number) =>
    `${((100 * us) / busy).toFixed(1).padStart(5)} %  ${requests ? `${(us / requests).toFixed(1).padStart(6)} µs/req  ` : ''}${key}`;
  return [
    line('(busy, all)', busy),
    ...[...by.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([key, us]) => line(key, us)),
  ];
}
