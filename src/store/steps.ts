/**
 * Long main-thread work (folding a history slice, building a pending record) is written as a
 * generator that yields every few hundred rows; these run one, all at once or a turn of the event
 * loop between steps.
 */
export function runSteps<T>(steps: Generator<void, T>): T {
  for (let step = steps.next(); ; step = steps.next()) if (step.done === true) return step.value;
}

/** {@link runSteps}, letting timers and I/O run between steps. */
export async function runStepsYielding<T>(steps: Generator<void, T>): Promise<T> {
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done === true) return step.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
