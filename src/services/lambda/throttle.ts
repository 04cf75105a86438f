/**
 * Concurrency accounting for invocations on this node: the account's limit, and functions'
 * reserved concurrency (which both caps the function and is taken out of what other functions
 * share). A function with reserved concurrency 0 is always throttled, as on Lambda.
 */
import { TooManyRequestsException } from './errors.js';

export interface ConcurrencyLease {
  release(): void;
}

export class ConcurrencyLimiter {
  private readonly byFunction = new Map<string, number>();
  /** In-flight invocations of functions without reserved concurrency, per account. */
  private readonly unreservedByAccount = new Map<string, number>();

  constructor(private readonly accountLimit: () => number) {}

  /**
   * Takes one slot or throws TooManyRequestsException. `reservedTotal` is the sum of reserved
   * concurrency in the account, which functions without a reservation cannot use.
   */
  acquire(
    account: string,
    functionKey: string,
    reserved: number | null,
    reservedTotal: number,
  ): ConcurrencyLease {
    const running = this.byFunction.get(functionKey) ?? 0;
    if (reserved !== null) {
      if (running >= reserved)
        throw new TooManyRequestsException('ReservedFunctionConcurrentInvocationLimitExceeded');
    } else {
      const unreserved = this.unreservedByAccount.get(account) ?? 0;
      if (unreserved >= this.accountLimit() - reservedTotal) {
        throw new TooManyRequestsException('ConcurrentInvocationLimitExceeded');
      }
      this.unreservedByAccount.set(account, unreserved + 1);
    }
    this.byFunction.set(functionKey, running + 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.byFunction.set(functionKey, (this.byFunction.get(functionKey) ?? 1) - 1);
        if (reserved === null) {
          this.unreservedByAccount.set(account, (this.unreservedByAccount.get(account) ?? 1) - 1);
        }
      },
    };
  }

  /** Invocations running now for a function (the ConcurrentExecutions metric). */
  running(functionKey: string): number {
    return this.byFunction.get(functionKey) ?? 0;
  }
}
