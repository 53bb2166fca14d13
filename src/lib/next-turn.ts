/** Runs `fn` after pending I/O callbacks (Node's setImmediate), or on the next timer turn where there is none. */
export const afterPendingIo: (fn: () => void) => void =
  typeof setImmediate === 'function' ? (fn) => setImmediate(fn) : (fn) => setTimeout(fn, 0);

/** Lets waiting requests run: awaiting a synchronous driver's promises alone never yields to I/O. */
export const nextTurn = (): Promise<void> => new Promise((resolve) => afterPendingIo(resolve));
