/** API Gateway's identifiers: ten lower-case letters and digits for APIs, six for the rest. */
import { randomInt } from 'node:crypto';

const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';

function randomId(length: number): string {
  let id = '';
  for (let i = 0; i < length; i++) id += alphabet[randomInt(alphabet.length)];
  return id;
}

export const apiId = () => randomId(10);
/** Resources, deployments, integrations, routes, authorizers. */
export const childId = () => randomId(6);
