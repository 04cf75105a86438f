/**
 * Stratus as test/support/serve.ts runs it, plus V8's CPU profiler (the one `node --cpu-prof`
 * uses) switched by the bench, so a profile covers one measured run and not the setup: the first
 * SIGUSR2 starts it, the next writes the profile (.cpuprofile JSON) to <profile file> and prints
 * `PROFILED <profile file>`. Positions in the project's TypeScript, which tsx runs compiled, are
 * mapped back to its source lines through the source maps tsx registers.
 *   node --import tsx bench/support/apigw-stratus.ts <dataDir> <storeUrl or ''> <profile file>
 */
import { writeFileSync } from 'node:fs';
import { Session, type Profiler } from 'node:inspector/promises';
import { findSourceMap, type SourceMapping } from 'node:module';

const profileFile = process.argv[4]!;
const session = new Session();
session.connect();
await session.post('Profiler.enable');
let profiling = false;

async function toggle(): Promise<void> {
  if (!profiling) {
    profiling = true;
    await session.post('Profiler.start');
    return;
  }
  profiling = false;
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(profileFile, JSON.stringify(withSourcePositions(profile)));
  process.stdout.write(`PROFILED ${profileFile}\n`);
}

/** The profile with the positions of compiled code replaced by their source's (0-based, as V8's). */
function withSourcePositions(profile: Profiler.Profile): Profiler.Profile {
  for (const { callFrame } of profile.nodes) {
    // An empty object where the map has no entry for the position.
    const entry = (
      callFrame.url
        ? findSourceMap(callFrame.url)?.findEntry(callFrame.lineNumber, callFrame.columnNumber)
        : {}
    ) as Partial<SourceMapping> | undefined;
    if (entry?.originalLine !== undefined && entry.originalColumn !== undefined) {
      callFrame.lineNumber = entry.originalLine;
      callFrame.columnNumber = entry.originalColumn;
    }
  }
  return profile;
}

process.on('SIGUSR2', () => void toggle());
await import('../../test/support/serve.js');
