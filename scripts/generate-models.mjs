#!/usr/bin/env node
// Regenerates src/protocol/models/<service>.json from the official AWS service models that
// botocore ships (AWS's own Python SDK core, Apache-2.0). Documentation and examples are dropped;
// every wire-relevant trait (protocols, locations, names, constraints, error codes) is kept.
//
//   npm run models -- logs cloudwatch sts        regenerate these services
//   npm run models                                regenerate every service already in the folder
//
// botocore is found through `python3 -c 'import botocore'` (pip or Debian's python3-botocore), or
// BOTOCORE_DATA=/path/to/botocore/data.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'protocol', 'models');
const dataDir =
  process.env.BOTOCORE_DATA ??
  join(
    execFileSync('python3', ['-c', 'import botocore, os; print(os.path.dirname(botocore.__file__))'])
      .toString()
      .trim(),
    'data',
  );

const requested = process.argv.slice(2);
const services = requested.length
  ? requested
  : readdirSync(outDir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.replace(/\.json$/, ''));

const dropKeys = new Set(['documentation', 'documentationUrl', 'examples', 'deprecatedMessage']);
function strip(value) {
  if (Array.isArray(value)) return value.map(strip);
  if (value && typeof value === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(value)) if (!dropKeys.has(k)) out[k] = strip(v);
    return out;
  }
  return value;
}

for (const service of services) {
  const versions = readdirSync(join(dataDir, service)).sort();
  const dir = join(dataDir, service, versions[versions.length - 1]);
  const gz = join(dir, 'service-2.json.gz');
  const raw = existsSync(gz) ? gunzipSync(readFileSync(gz)) : readFileSync(join(dir, 'service-2.json'));
  const model = strip(JSON.parse(raw.toString('utf8')));
  writeFileSync(join(outDir, `${service}.json`), JSON.stringify(model) + '\n');
  console.log(
    `${service}: ${Object.keys(model.operations).length} operations (${model.metadata.apiVersion})`,
  );
}
