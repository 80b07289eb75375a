/** Summarises a V8 CPU profile (`--cpu-prof`): self time by package or project file. */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
}

/** The `top` largest shares of non-idle CPU time, as `share% where` lines. */
export function summariseProfile(path: string, top = 15): string[] {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  const time = new Map<number, number>();
  profile.samples.forEach((id, i) => time.set(id, (time.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const shares = new Map<string, number>();
  let busy = 0;
  for (const node of profile.nodes) {
    const spent = time.get(node.id) ?? 0;
    const where = locate(node.callFrame);
    if (where === '(idle)') continue;
    busy += spent;
    shares.set(where, (shares.get(where) ?? 0) + spent);
  }
  return [...shares]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([where, spent]) => `${((100 * spent) / busy).toFixed(1).padStart(5)}%  ${where}`);
}

function locate({ functionName, url }: ProfileNode['callFrame']): string {
  const inModules = url.split('node_modules/')[1];
  if (inModules) return inModules.split('/').slice(0, inModules.startsWith('@') ? 2 : 1).join('/');
  if (url.startsWith('node:')) return url;
  const project = /\/(gateway|schemas|certs|queues|adapters)\/.+$/.exec(url);
  if (project) return project[0].slice(1);
  return url ? url : functionName || '(native)';
}
