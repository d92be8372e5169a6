import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

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
    const url = relative(root, frame.url.replace('file://', ''));
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
    const key =
      pkg ??
      (url.startsWith('dist/')
        ? url.split('/').slice(0, 2).join('/')
        : frame.url
          ? 'node:internal'
          : frame.functionName || '(vm)');
    by.set(key, (by.get(key) ?? 0) + dt);
  });
  return [...by.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 20)
    .map(([key, us]) => `${((100 * us) / total).toFixed(1).padStart(5)} %  ${key}`);
}

if (require.main === module) {
  for (const file of process.argv.slice(2)) {
    process.stdout.write(
      `\n== ${file}\n-- by module\n${selfTimeByModule(file).join('\n')}\n-- by function\n${topSelfTime(file).join('\n')}\n`,
    );
  }
}
