/**
 * Python's boto3 for end-to-end tests: every python3 that has it, once per botocore version —
 * Debian's (an older botocore) and the first on PATH (newer) — and a runner for a script that
 * prints its results as JSON.
 */
import { execFile, execFileSync } from 'node:child_process';

export function pythonsWithBoto3(): string[] {
  const found: { python: string; version: string }[] = [];
  for (const python of ['/usr/bin/python3', 'python3']) {
    try {
      const version = execFileSync(python, ['-c', 'import botocore; print(botocore.__version__)'], {
        stdio: ['ignore', 'pipe', 'ignore'],
      })
        .toString()
        .trim();
      if (!found.some((f) => f.version === version)) found.push({ python, version });
    } catch {
      // no boto3 there
    }
  }
  return found.map((f) => f.python);
}

/** Runs `python -c script args…` and parses what it printed. */
export function runPythonJson<T = Record<string, unknown>>(
  python: string,
  script: string,
  args: string[],
): Promise<T> {
  return new Promise<T>((resolve, reject) =>
    execFile(python, ['-c', script, ...args], { timeout: 50_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(JSON.parse(stdout) as T),
    ),
  );
}
