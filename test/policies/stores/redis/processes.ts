import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/redis-stores/', import.meta.url));

/** A child process running a fixture script with an IPC channel; its messages arrive in order. */
export interface Child {
  readonly process: ChildProcess;
  /** The next message the child sends (or one already waiting); rejects after `timeoutMs`. */
  next<T = Record<string, unknown>>(timeoutMs?: number): Promise<T>;
  /** Sends a command. */
  send(message: unknown): void;
  stop(): Promise<void>;
}

/** Forks `test/fixtures/redis-stores/<script>` with `env` on top of this process's (IA_CONNECTORS_DIST passes through). */
export function forkFixture(script: string, env: Record<string, string | number>): Child {
  const child = fork(`${FIXTURES}${script}`, [], {
    env: { ...process.env, ...Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)])) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const inbox: unknown[] = [];
  const waiting: ((message: unknown) => void)[] = [];
  child.on('message', (message) => {
    const wake = waiting.shift();
    if (wake) wake(message);
    else inbox.push(message);
  });
  const exited = once(child, 'exit');
  return {
    process: child,
    next: <T>(timeoutMs = 10_000) =>
      new Promise<T>((resolve, reject) => {
        if (inbox.length > 0) return resolve(inbox.shift() as T);
        const timer = setTimeout(() => reject(new Error(`${script} sent nothing within ${timeoutMs} ms`)), timeoutMs);
        waiting.push((m) => {
          clearTimeout(timer);
          resolve(m as T);
        });
        exited.then(([code]) => reject(new Error(`${script} exited with code ${String(code)} before sending a message`)), reject);
      }),
    send: (message) => child.send(message as never),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}
