/**
 * The same ten bodies every batch: the SDK checks the MD5s a send answers against the bodies it
 * sent, so the SDK-ceiling server can replay one captured answer.
 */
export const messageBody = (n: number) =>
  `{"n":${n},"order":"A-1042","lines":3,"total":99.5,"currency":"EUR"}`;
