/**
 * What the control plane tells whoever runs functions (the invoke path wiring the execution
 * engine) when functions change, after the change has committed. Environments are keyed by
 * `FunctionSpec.key`, which names the code and configuration they run, so an environment never
 * runs stale code even when a notice is missed (another node made the change); the notices only
 * let the engine free environments early and start provisioned ones.
 */
import type { Region } from './arns.js';

export type FunctionChange =
  /** Environments with these keys will never be asked for again (updated, deleted). */
  | { kind: 'retired'; keys: string[] }
  /** The environments to keep ready for one version (0: none). */
  | {
      kind: 'provisionedConcurrency';
      at: Region;
      functionName: string;
      version: string;
      requested: number;
    };

export type FunctionChangeListener = (change: FunctionChange) => void;

export class FunctionChanges {
  private readonly listeners: FunctionChangeListener[] = [];

  subscribe(listener: FunctionChangeListener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** Listeners run synchronously; one that throws does not keep the others from hearing. */
  emit(change: FunctionChange, onError: (err: unknown) => void): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (err) {
        onError(err);
      }
    }
  }
}
