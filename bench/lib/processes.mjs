import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { once } from 'node:events';
import { availableParallelism } from 'node:os';
import process from 'node:process';
import { createInterface } from 'node:readline';
import { URL } from 'node:url';

const CLIENT_CORE = 0;
const SERVER_CORE = 1;

/**
 * Whether client and servers can run on separate cores: `taskset` exists, works
 * here and there are at least two cores.
 *
 * @example
 * ```js
 * import { canPin } from './processes.mjs';
 * if (!canPin().ok) console.warn(canPin().reason);
 * ```
 */
export function canPin() {
  if (availableParallelism() < 2) return { ok: false, reason: `only ${availableParallelism()} core available` };
  const probe = spawnSync('taskset', ['-c', String(SERVER_CORE), 'true'], { stdio: 'ignore' });
  if (probe.error) return { ok: false, reason: `taskset not found (${probe.error.code})` };
  if (probe.status !== 0) return { ok: false, reason: `taskset failed with exit code ${probe.status}` };
  return { ok: true, reason: '' };
}

/**
 * Pins every thread of this process to the client core and reads the affinity
 * back, so the report says what really happened.
 *
 * @example
 * ```js
 * import { pinSelf } from './processes.mjs';
 * const pinned = pinSelf(); // { ok: true, cores: '0' }
 * ```
 */
export function pinSelf() {
  const result = spawnSync('taskset', ['-a', '-p', '-c', String(CLIENT_CORE), String(process.pid)], { stdio: 'ignore' });
  const cores = allowedCores(process.pid);
  return { ok: result.status === 0 && cores === String(CLIENT_CORE), cores };
}

/**
 * The cores a process may run on, as the kernel lists them (e.g. `0-1`).
 *
 * @example
 * ```js
 * import { allowedCores } from './processes.mjs';
 * allowedCores(process.pid); // '0-1'
 * ```
 */
export function allowedCores(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return /Cpus_allowed_list:\s*(\S+)/.exec(status)?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * Starts a benchmark server script in its own process (on the server core when
 * `pin`), waits for the JSON line announcing its port, and returns a handle that
 * reads the server's CPU time and stops it.
 *
 * @example
 * ```js
 * import { startServerProcess } from './processes.mjs';
 * const http = await startServerProcess(new URL('../servers/http.mjs', import.meta.url), true);
 * const origin = `http://127.0.0.1:${http.info.port}`;
 * await http.stop();
 * ```
 */
export async function startServerProcess(scriptUrl, pin) {
  const script = new URL(scriptUrl).pathname;
  const [command, args] = pin ? ['taskset', ['-c', String(SERVER_CORE), process.execPath, script]] : [process.execPath, [script]];
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const first = once(lines, 'line');
  const failed = once(child, 'exit').then(([code]) => {
    throw new Error(`benchmark server ${script} exited with code ${code} before announcing its port`);
  });
  const [line] = await Promise.race([first, failed]);
  failed.catch(() => undefined);
  const info = JSON.parse(line);
  return {
    info,
    pid: child.pid,
    cores: allowedCores(child.pid),
    cpuMs: () => processCpuMs(child.pid),
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.stdin.end();
      await exited;
    },
  };
}

const TICKS_PER_SECOND = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/**
 * CPU time the whole machine spent busy (all cores, steal included) in ms, from
 * /proc/stat: minus the client's and the server's own time it shows how much
 * other processes took during a measurement.
 *
 * @example
 * ```js
 * import { machineBusyMs } from './processes.mjs';
 * const before = machineBusyMs();
 * ```
 */
export function machineBusyMs() {
  try {
    const line = readFileSync('/proc/stat', 'utf8').slice(0, 200).split('\n')[0];
    const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
    return ((user + nice + system + irq + softirq + (steal || 0)) * 1000) / TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

/** User + system CPU time of a process in ms, from /proc (10 ms resolution). */
function processCpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may itself contain spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}
