import { readFileSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { originalPosition } from './source-map.mjs';

/**
 * Sums a `.cpuprofile` into self time per function and per owner (this library,
 * undici, Node internals, GC, ...). Functions of this library are named by their
 * source position through the build's source maps.
 *
 * @example
 * ```js
 * import { summariseProfile } from './cpu-profile.mjs';
 * const s = summariseProfile('/tmp/p/CPU.cpuprofile', '/repo/dist', '/repo');
 * s.functions.filter((f) => f.owner === 'ia-connectors').slice(0, 10);
 * ```
 */
export function summariseProfile(file, distDir, root) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
  }
  const functions = new Map();
  const owners = new Map();
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id).callFrame;
    const owner = ownerOf(frame, distDir);
    const where = locate(frame, owner, distDir, root);
    const key = `${frame.functionName}@${where}`;
    const entry = functions.get(key) ?? { name: frame.functionName || '(anonymous)', where, owner, selfUs: 0 };
    entry.selfUs += us;
    functions.set(key, entry);
    owners.set(owner, (owners.get(owner) ?? 0) + us);
    totalUs += us;
  }
  const busyUs = totalUs - (owners.get('(idle)') ?? 0);
  return {
    totalUs,
    busyUs,
    owners: [...owners].map(([owner, us]) => ({ owner, selfUs: us })).sort((a, b) => b.selfUs - a.selfUs),
    functions: [...functions.values()].sort((a, b) => b.selfUs - a.selfUs),
  };
}

function ownerOf(frame, distDir) {
  const { url, functionName } = frame;
  if (url === '') return ['(garbage collector)', '(program)', '(idle)', '(root)'].includes(functionName) ? functionName : 'native';
  if (url.startsWith('node:')) return 'node';
  // undici's HTTP parser (llhttp) is WebAssembly.
  if (url.startsWith('wasm:')) return 'undici (llhttp wasm)';
  const path = url.startsWith('file:') ? fileURLToPath(url) : url;
  if (path.startsWith(distDir + sep)) return 'ia-connectors';
  const match = /node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(path);
  if (match) return match[1];
  if (path.includes(`${sep}bench${sep}`)) return 'benchmark';
  return 'other';
}

function locate(frame, owner, distDir, root) {
  const { url, lineNumber, columnNumber } = frame;
  if (url === '') return '';
  if (url.startsWith('node:')) return `${url}:${lineNumber + 1}`;
  const path = url.startsWith('file:') ? fileURLToPath(url) : url;
  if (owner === 'ia-connectors') return originalPosition(path, lineNumber, columnNumber, root) ?? `${relative(root, path)}:${lineNumber + 1}`;
  const inModules = path.lastIndexOf('node_modules');
  return `${inModules >= 0 ? path.slice(inModules + 'node_modules'.length + 1) : relative(root, path)}:${lineNumber + 1}`;
}
