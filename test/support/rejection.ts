/** The error a call fails with, for asserting its class, code, status and message; a call that succeeds fails the test. */
export async function rejection<E extends Error>(promise: Promise<unknown>): Promise<E> {
  try {
    await promise;
  } catch (err) {
    return err as E;
  }
  throw new Error('expected the call to fail');
}
