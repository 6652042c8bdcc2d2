import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JobProgress } from '../../src/shared/domain';
import { serveCompute } from '../../src/main/app/jobs/compute-server';
import type { FromCompute, ToCompute } from '../../src/main/app/jobs/compute-messages';

test('the compute side throttles progress but never drops one with a note (a scored model the CLI prints)', async () => {
  const posted: FromCompute[] = [];
  let send: (message: ToCompute) => void = () => {};
  const done = new Promise<void>((resolve) => {
    serveCompute(
      {
        post: (message) => {
          posted.push(message);
          if (message.type !== 'progress') resolve();
        },
        onMessage: (listener) => {
          send = listener;
        },
      },
      // A job that reports faster than the throttle lets through: ten plain progresses, each followed by a note.
      async () => async (_params, ctx) => {
        for (let k = 0; k < 10; k++) {
          const progress: JobProgress = { done: k, total: 10, unit: 'models', message: `model ${k}` };
          ctx.progress(progress);
          ctx.progress({ ...progress, note: `model ${k} scored` });
        }
        return null;
      },
    );
  });
  send({ type: 'run', id: 'j1', kind: 'evaluate', params: {}, projectPath: '/nowhere' });
  await done;
  const progress = posted.flatMap((m) => (m.type === 'progress' ? [m.progress] : []));
  assert.deepEqual(progress.filter((p) => p.note !== undefined).map((p) => p.note), [...Array(10).keys()].map((k) => `model ${k} scored`));
  assert.ok(progress.filter((p) => p.note === undefined).length < 10, 'plain progress is still throttled');
  assert.equal(posted.at(-1)!.type, 'done');
});
