/**
 * Node.js functions import packages from their layers as on Lambda: CommonJS through NODE_PATH,
 * ES modules too (Node's ES module resolution ignores NODE_PATH; Lambda's runtime does not), from
 * `/opt/nodejs/node20/node_modules` before `/opt/nodejs/node_modules`, and an ES module and
 * `require` get the same module (one path, one instance). Where `/opt` is depends on the sandbox
 * mode in force (docs/functions.md).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateFunctionCommand,
  InvokeCommand,
  LambdaClient,
  PublishLayerVersionCommand,
} from '@aws-sdk/client-lambda';
import { startTestStratus, testSandboxMode, type TestStratus } from './support/stratus.js';
import { zipOf, type ZipEntry } from './support/zip.js';

const role = 'arn:aws:iam::000000000000:role/lambda-role';
const text = (payload: Uint8Array | undefined) => Buffer.from(payload ?? []).toString('utf8');
const sandbox = testSandboxMode();

describe('Node.js layers', () => {
  let stratus: TestStratus;
  let lambda: LambdaClient;
  const layers: string[] = [];

  async function publish(name: string, files: Record<string, ZipEntry>): Promise<string> {
    const layer = await lambda.send(
      new PublishLayerVersionCommand({
        LayerName: name,
        CompatibleRuntimes: ['nodejs20.x'],
        Content: { ZipFile: await zipOf(files) },
      }),
    );
    return layer.LayerVersionArn!;
  }

  async function run(name: string, files: Record<string, ZipEntry>, layerArns = layers) {
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Role: role,
        Code: { ZipFile: await zipOf(files) },
        Timeout: 10,
        Layers: layerArns,
      }),
    );
    return lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from('{}') }));
  }

  beforeAll(async () => {
    stratus = await startTestStratus();
    lambda = new LambdaClient(stratus.clientConfig);
    layers.push(
      await publish('generic', {
        'nodejs/node_modules/greeting/package.json': JSON.stringify({ name: 'greeting', main: 'index.js' }),
        'nodejs/node_modules/greeting/index.js':
          'exports.greet = (name) => `Hello, ${name}, from a layer`; exports.file = __filename;',
        'nodejs/node_modules/flavour/index.js': "module.exports = 'generic';",
      }),
      await publish('node20', {
        'nodejs/node20/node_modules/flavour/index.js': "module.exports = 'node20';",
        'nodejs/node20/node_modules/esm-only/package.json': JSON.stringify({
          name: 'esm-only',
          type: 'module',
          exports: { '.': './main.js' },
        }),
        'nodejs/node20/node_modules/esm-only/main.js': "export const kind = 'an ES module package';",
      }),
    );
  });
  afterAll(async () => {
    lambda?.destroy();
    await stratus?.close();
  });

  it(`an ES module handler imports layer packages from nodejs/node20/node_modules and nodejs/node_modules in ${sandbox === 'bwrap' ? '/opt' : 'the merged layers'}, the same modules require gets (sandbox: ${sandbox})`, async () => {
    const result = await run('esm-layers', {
      'index.mjs': [
        "import { createRequire } from 'node:module';",
        "import greeting from 'greeting';",
        "import flavour from 'flavour';",
        "import { kind } from 'esm-only';",
        'const require = createRequire(import.meta.url);',
        'export const handler = async () => ({',
        "  greeting: greeting.greet('Ada'),",
        '  flavour,',
        '  kind,',
        "  sameModule: greeting === require('greeting'),",
        '  importedFrom: greeting.file,',
        "  required: require.resolve('greeting'),",
        "  esmOnly: import.meta.resolve('esm-only'),",
        '  taskRoot: process.env.LAMBDA_TASK_ROOT,',
        '});',
      ].join('\n'),
    });
    expect(result.FunctionError, text(result.Payload)).toBeUndefined();
    const body = JSON.parse(text(result.Payload));
    expect(body).toMatchObject({
      greeting: 'Hello, Ada, from a layer',
      // NODE_PATH's order: the version's directory first.
      flavour: 'node20',
      kind: 'an ES module package',
      sameModule: true,
    });
    expect(body.importedFrom).toBe(body.required);
    // In the sandbox, Lambda's own /opt; without, the layers merged in the engine's directory.
    const opt =
      sandbox === 'bwrap'
        ? '/opt'
        : String(body.required).replace(/\/nodejs\/node_modules\/greeting\/index\.js$/, '');
    if (sandbox === 'bwrap') expect(body.taskRoot).toBe('/var/task');
    else expect(opt).toMatch(new RegExp(`^${stratus.dataDir}/lambda/environments/layers/[0-9a-f]+$`));
    expect(body.required, `sandbox: ${sandbox}`).toBe(`${opt}/nodejs/node_modules/greeting/index.js`);
    expect(body.esmOnly).toBe(`file://${opt}/nodejs/node20/node_modules/esm-only/main.js`);
  });

  it('a CommonJS handler requires layer packages in NODE_PATH order', async () => {
    const result = await run('cjs-layers', {
      'index.js': [
        "const greeting = require('greeting');",
        'exports.handler = async () => ({',
        "  greeting: greeting.greet('Grace'),",
        "  flavour: require('flavour'),",
        "  kind: (await import('esm-only')).kind,",
        '  file: greeting.file,',
        '});',
      ].join('\n'),
    });
    expect(result.FunctionError, text(result.Payload)).toBeUndefined();
    expect(JSON.parse(text(result.Payload))).toMatchObject({
      greeting: 'Hello, Grace, from a layer',
      flavour: 'node20',
      kind: 'an ES module package',
      file: expect.stringMatching(/\/nodejs\/node_modules\/greeting\/index\.js$/),
    });
  });

  it('an ES module importing a package found nowhere fails init with Runtime.ImportModuleError', async () => {
    const result = await run('esm-missing', {
      'index.mjs': "import 'no-such-package';\nexport const handler = async () => 'unreachable';",
    });
    expect(result.FunctionError).toBe('Unhandled');
    const error = JSON.parse(text(result.Payload));
    expect(error.errorType).toBe('Runtime.ImportModuleError');
    expect(error.errorMessage).toMatch(/^Error: Cannot find package 'no-such-package' imported from /);
    expect(error.errorMessage).toMatch(/index\.mjs/);
  });

  it('a function’s own node_modules wins over its layers', async () => {
    const result = await run('own-first', {
      'index.mjs': "import flavour from 'flavour';\nexport const handler = async () => flavour;",
      'node_modules/flavour/index.js': "module.exports = 'bundled';",
    });
    expect(result.FunctionError, text(result.Payload)).toBeUndefined();
    expect(JSON.parse(text(result.Payload))).toBe('bundled');
  });
});
