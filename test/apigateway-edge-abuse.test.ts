/**
 * What a misbehaving client does to a deployed API's neighbours: nothing. A client that sends
 * half a body and stalls, one whose chunked encoding is broken, and one that streams more than
 * API Gateway's 10 MB without announcing a length each get their own answer (or none), while
 * other calls to the same API are served meanwhile.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APIGatewayClient,
  CreateDeploymentCommand,
  CreateRestApiCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
} from '@aws-sdk/client-api-gateway';
import { httpCall } from './support/http.js';
import { startTestStratus, type TestStratus } from './support/stratus.js';

/** Opens a raw connection to the server and writes `text` on it. */
function rawSocket(port: number, text: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text, () => resolve(socket)));
    socket.on('error', reject);
  });
}

/** Everything the server sends on `socket` until it closes it (or `end` is seen). */
function answerOn(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('close', () => resolve(received));
    socket.on('error', () => resolve(received));
  });
}

/** The first bytes the server sends on `socket` (an answer's status line and headers at least). */
function firstDataOn(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    socket.once('data', (chunk: Buffer) => resolve(chunk.toString('latin1')));
    socket.on('close', () => resolve(''));
  });
}

describe('API Gateway edge under misbehaving clients', () => {
  let stratus: TestStratus;
  let apigateway: APIGatewayClient;
  let path: string;

  beforeAll(async () => {
    stratus = await startTestStratus();
    apigateway = new APIGatewayClient(stratus.clientConfig);
    const api = await apigateway.send(new CreateRestApiCommand({ name: 'abused' }));
    const restApiId = api.id!;
    const resourceId = api.rootResourceId!;
    for (const httpMethod of ['GET', 'POST']) {
      await apigateway.send(
        new PutMethodCommand({ restApiId, resourceId, httpMethod, authorizationType: 'NONE' }),
      );
      await apigateway.send(
        new PutIntegrationCommand({
          restApiId,
          resourceId,
          httpMethod,
          type: 'MOCK',
          requestTemplates: { 'application/json': '{"statusCode": 200}' },
        }),
      );
      await apigateway.send(
        new PutMethodResponseCommand({ restApiId, resourceId, httpMethod, statusCode: '200' }),
      );
      await apigateway.send(
        new PutIntegrationResponseCommand({
          restApiId,
          resourceId,
          httpMethod,
          statusCode: '200',
          responseTemplates: { 'application/json': '{"served": true}' },
        }),
      );
    }
    await apigateway.send(new CreateDeploymentCommand({ restApiId, stageName: 'test' }));
    path = `/_aws/execute-api/${restApiId}/test/`;
  });
  afterAll(async () => {
    apigateway?.destroy();
    await stratus?.close();
  });

  const served = async () => {
    const answer = await httpCall(`${stratus.url}${path}`);
    expect(answer.status).toBe(200);
    expect(answer.json()).toEqual({ served: true });
  };

  it('serves other calls while a client has sent half its body and stalls', async () => {
    const stalled = await rawSocket(
      stratus.port,
      `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
        `Content-Length: 1000\r\n\r\n{"half": `,
    );
    const stalledAnswer = firstDataOn(stalled);
    let stalledAnswered = false;
    void stalledAnswer.then(() => (stalledAnswered = true));
    await Promise.all(Array.from({ length: 20 }, served));
    expect(stalledAnswered).toBe(false);
    // Once the body is complete, the stalled call is served like any other.
    stalled.write(`"x"${' '.repeat(1000 - 13)}}`);
    expect(await stalledAnswer).toMatch(/^HTTP\/1\.1 200 /);
    stalled.destroy();
  });

  it('answers 400 to a broken chunked encoding, and goes on serving', async () => {
    const broken = await rawSocket(
      stratus.port,
      `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nnot a chunk\r\n0\r\n\r\n`,
    );
    expect(await answerOn(broken)).toMatch(/^HTTP\/1\.1 400 /);
    await served();
  });

  it('answers 413 to a chunked body that grows past 10 MB, while other calls are served', async () => {
    const streaming = await rawSocket(
      stratus.port,
      `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
        `Transfer-Encoding: chunked\r\n\r\n`,
    );
    const answer = answerOn(streaming);
    const chunk = Buffer.alloc(1024 * 1024, 'a');
    const write = (data: string | Buffer) =>
      new Promise<void>((resolve) => {
        if (streaming.destroyed) return resolve();
        streaming.write(data, () => resolve());
      });
    for (let i = 0; i < 11 && !streaming.destroyed; i++) {
      await write(`${chunk.length.toString(16)}\r\n`);
      await write(chunk);
      await write('\r\n');
      if (i === 5) await served();
    }
    await write('0\r\n\r\n');
    const text = await answer;
    expect(text).toMatch(/^HTTP\/1\.1 413 /);
    expect(text).toContain('"message":"Request Too Long"');
    await served();
  });
});
