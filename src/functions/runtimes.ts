/**
 * Lambda runtime identifiers and what runs them here. Stratus ships its own Node.js and Python
 * runtimes (runtimes/nodejs/bootstrap.mjs, runtimes/python/bootstrap.py) and runs them with the
 * host's interpreters: every `nodejs*.x` with the Node.js that runs Stratus, every `python3.*`
 * with the host's /usr/bin/python3 — whatever versions those are. `provided*` runs the function's
 * own `bootstrap`. Other languages have no interpreter here; `resolveRuntime` says what is missing
 * so the control plane can reject CreateFunction with a clear message.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type RuntimeFamily = 'nodejs' | 'python' | 'provided';

export interface ResolvedRuntime {
  family: RuntimeFamily;
  /** The language version the function asked for: `20` for nodejs20.x, `3.12` for python3.12. */
  languageVersion: string;
  /** The command inside the sandbox (Node's memory flags are added per environment). */
  command: string[];
}

/** Where Node is inside the sandbox (Lambda's path; the host's binary is bound there). */
export const SANDBOX_NODE = '/var/lang/bin/node';
/** Only interpreters under /usr can run in the sandbox: /usr is what it sees of the host. */
export const HOST_PYTHON = ['/usr/bin/python3', '/usr/local/bin/python3'].find((p) => existsSync(p));

const NODE_VERSIONS = [18, 20, 22, 24];
const PYTHON_MINORS = [9, 10, 11, 12, 13, 14];

export function resolveRuntime(runtime: string): ResolvedRuntime | { missing: string } {
  const node = /^nodejs(\d+)\.x$/.exec(runtime);
  if (node && NODE_VERSIONS.includes(Number(node[1]))) {
    return {
      family: 'nodejs',
      languageVersion: node[1] ?? '',
      command: [SANDBOX_NODE, '/var/runtime/bootstrap.mjs'],
    };
  }
  const python = /^python3\.(\d+)$/.exec(runtime);
  if (python && PYTHON_MINORS.includes(Number(python[1]))) {
    if (!HOST_PYTHON) return { missing: `${runtime} needs Python 3 at /usr/bin/python3 on the Stratus host` };
    return {
      family: 'python',
      languageVersion: `3.${python[1]}`,
      command: [HOST_PYTHON, '-u', '/var/runtime/bootstrap.py'],
    };
  }
  if (runtime === 'provided' || runtime === 'provided.al2' || runtime === 'provided.al2023') {
    return { family: 'provided', languageVersion: '', command: ['/var/task/bootstrap'] };
  }
  const language = /^(java|dotnet|ruby|go)/.exec(runtime)?.[1];
  if (language) {
    const name = { java: 'a Java', dotnet: 'a .NET', ruby: 'a Ruby', go: 'a Go 1.x' }[language];
    return {
      missing: `${runtime} needs ${name} runtime, which Stratus does not ship; package the function for provided.al2023 with a bootstrap executable instead`,
    };
  }
  return {
    missing: `${runtime} is not a runtime Stratus can run (supported: nodejs18.x–nodejs24.x, python3.9–python3.14, provided.al2023, provided.al2, provided)`,
  };
}

/**
 * Lambda's Node.js bootstrap sizes V8's heap from the function's memory, so a JavaScript heap that
 * outgrows it fails inside V8 rather than at the cgroup limit.
 */
export function nodeMemoryFlags(memoryMb: number): string[] {
  const newSpace = Math.floor(memoryMb / 10);
  return [
    '--expose-gc',
    '--max-http-header-size=81920',
    `--max-semi-space-size=${Math.floor(newSpace / 2)}`,
    `--max-old-space-size=${memoryMb - newSpace}`,
  ];
}

/** Stratus's shipped runtimes: src/functions/runtimes, or dist/functions/runtimes (`npm run build` copies them). */
export function runtimesDir(): string {
  return join(dirname(fileURLToPath(import.meta.url)), 'runtimes');
}

/**
 * The node_modules that holds Stratus's own AWS SDK, offered to functions at
 * /var/runtime/node_modules as Lambda's Node.js runtimes offer SDK v3.
 */
export function sdkNodeModules(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'node_modules');
    if (existsSync(join(candidate, '@aws-sdk'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
