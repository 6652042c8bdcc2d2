import type { AnnotationRecord } from '../../../src/shared/domain';
import type { SeededRandom } from './seeded-random';
import type { ServerProcess } from './server-process';

export interface BurstOutcome {
  acknowledged: AnnotationRecord[];
  /** Requests that got no answer (the server died under them): their outcome is unknown. */
  unanswered: number;
  /** Answers that were neither 200 nor a kill: always a failure. */
  unexpected: string[];
}

/**
 * Saves `total` labels as fast as the back end takes them (`concurrency` in
 * flight), mostly saveLabel with some clearLabel and undoLastLabel, and
 * records every acknowledged annotation. `afterAck` sees each acknowledgement
 * (the crash test kills the server from there).
 */
export async function labelBurst(
  server: ServerProcess,
  rng: SeededRandom,
  options: { total: number; concurrency: number; sampleCount: number; afterAck?: (count: number) => void },
): Promise<BurstOutcome> {
  const outcome: BurstOutcome = { acknowledged: [], unanswered: 0, unexpected: [] };
  let next = 0;
  let dead = false;
  const one = async (): Promise<void> => {
    const roll = rng.next();
    const sampleId = rng.int(1, options.sampleCount);
    const [name, arg] =
      roll < 0.9
        ? ['saveLabel', { sampleId, angle: Math.round((rng.next() * 720 - 360) * 100) / 100, queueRank: next, strategy: 'fps' }]
        : roll < 0.95
          ? ['clearLabel', { sampleId }]
          : ['undoLastLabel', {}];
    try {
      const res = await server.call(name, arg);
      if (res.status !== 200) outcome.unexpected.push(`${name} ${JSON.stringify(arg)}: ${res.status} ${res.body.error}`);
      else if (res.body.result) {
        outcome.acknowledged.push(res.body.result as AnnotationRecord);
        options.afterAck?.(outcome.acknowledged.length);
      }
    } catch {
      // Connection refused or reset: the server was killed with this request in flight.
      outcome.unanswered++;
      dead = true;
    }
  };
  const lane = async () => {
    while (!dead && next < options.total) {
      next++;
      await one();
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, lane));
  return outcome;
}
