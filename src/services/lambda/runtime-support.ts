/**
 * Which `Runtime` values a function may be created or updated with: those Lambda still accepts,
 * and of those, the ones this host can run. Lambda refuses retired runtimes with its own message;
 * Stratus additionally refuses runtimes the execution engine cannot run here (Java, .NET, Ruby, a
 * missing Python), with the engine's account of what is missing, instead of accepting a function
 * that could never start.
 */
import { resolveRuntime } from '../../functions/runtimes.js';
import { InvalidParameterValueException } from './errors.js';

/** The runtimes Lambda accepts for new code, in the order its error message lists them. */
export const creatableRuntimes: readonly string[] = [
  'nodejs20.x',
  'python3.14',
  'provided.al2023',
  'python3.12',
  'python3.13',
  'nodejs24.x',
  'nodejs22.x',
  'java25',
  'python3.10',
  'python3.11',
  'java21',
  'ruby3.3',
  'ruby3.4',
  'ruby3.2',
  'python3.8',
  'python3.9',
  'java17',
  'nodejs16.x',
  'dotnet10',
  'dotnet8',
  'java11',
  'dotnet6',
  'nodejs18.x',
  'provided.al2',
  'java8.al2',
  'ruby4.0',
];

/** Retired runtimes Lambda names in a dedicated message rather than the enum list. */
const retiredRuntimes = new Set([
  'java8',
  'go1.x',
  'provided',
  'ruby2.7',
  'nodejs14.x',
  'python3.7',
  'dotnetcore3.1',
  'nodejs12.x',
]);

/** Lambda's message for a runtime it does not know or no longer accepts. */
export function unknownRuntimeMessage(runtime: string): string {
  return `Value ${runtime} at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: [${creatableRuntimes.join(', ')}] or be a valid ARN`;
}

/** Throws Lambda's error (or Stratus's, for runtimes this host cannot run) for a runtime not usable now. */
export function checkRuntime(runtime: string): void {
  if (retiredRuntimes.has(runtime)) {
    throw new InvalidParameterValueException(
      `The runtime parameter of ${runtime} is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime while creating or updating functions.`,
    );
  }
  if (!creatableRuntimes.includes(runtime))
    throw new InvalidParameterValueException(unknownRuntimeMessage(runtime));
  const resolved = resolveRuntime(runtime);
  if ('missing' in resolved) throw new InvalidParameterValueException(resolved.missing);
}
