import type { PropagationResult } from '../../../shared/domain';
import { FarpointError } from '../../core/errors';
import { appendAnnotation, currentLabelOf as currentLabel, requireSample, setSampleStatus } from '../../store/annotations';
import { writeOrExplain, type Db } from '../../store/database';
import { activeAmong } from '../../store/samples';

/**
 * What the review view does to a cluster. Every action is an ordinary,
 * reversible project change: exclusion goes through setSampleStatus (logged
 * in status_changes, undone by restoring), labels through the append-only
 * annotation history (a propagated label is undone by an appended 'clear').
 */

/** Keeps `keepId` in the pool (restoring it if it was set aside) and excludes every other member. */
export function keepOneExcludeRest(db: Db, keepId: number, memberIds: readonly number[]): { kept: number; excluded: number[] } {
  if (!memberIds.includes(keepId)) throw new FarpointError(`keepId ${keepId} is not one of the cluster's members (${memberIds.slice(0, 10).join(', ')}${memberIds.length > 10 ? ', …' : ''})`);
  const others = [...new Set(memberIds.filter((id) => id !== keepId))];
  return writeOrExplain(() =>
    db
      .transaction(() => {
        setSampleStatus(db, [keepId], 'active', `kept as representative of a duplicate cluster`);
        const activeBefore = new Set(activeAmong(db, others));
        setSampleStatus(db, others, 'excluded', `near-duplicate of sample ${keepId}`);
        return { kept: keepId, excluded: others.filter((id) => activeBefore.has(id)) };
      })
      .immediate(),
  );
}

/**
 * Copies `fromId`'s current label to the other samples as source
 * 'propagated' with propagatedFrom = fromId. A sample labeled by hand (or
 * imported) keeps its label: a guess from a neighbour never overwrites an
 * expert's judgement.
 */
export function propagateLabel(db: Db, author: string, fromId: number, toIds: readonly number[]): PropagationResult {
  return writeOrExplain(() =>
    db
      .transaction(() => {
        requireSample(db, fromId);
        const source = currentLabel(db, fromId);
        if (!source) throw new FarpointError(`sample ${fromId} has no label to propagate; label it first`, 409);
        const propagated: number[] = [];
        const skipped: { id: number; reason: string }[] = [];
        for (const id of new Set(toIds)) {
          if (id === fromId) continue;
          const existing = currentLabel(db, id);
          if (existing && existing.source !== 'propagated') {
            skipped.push({ id, reason: `has a ${existing.source} label (${existing.angle}°)` });
            continue;
          }
          appendAnnotation(db, { sampleId: id, angle: source.angle, action: 'set', source: 'propagated', author, propagatedFrom: fromId });
          propagated.push(id);
        }
        return { from: fromId, angle: source.angle, propagated, skipped };
      })
      .immediate(),
  );
}

/** Removes the propagated labels among `sampleIds` by appending 'clear' entries; hand labels are left alone. */
export function clearPropagatedLabels(db: Db, author: string, sampleIds: readonly number[]): { cleared: number[] } {
  return writeOrExplain(() =>
    db
      .transaction(() => {
        const cleared: number[] = [];
        for (const id of new Set(sampleIds)) {
          if (currentLabel(db, id)?.source !== 'propagated') continue;
          appendAnnotation(db, { sampleId: id, angle: null, action: 'clear', source: 'propagated', author });
          cleared.push(id);
        }
        return { cleared };
      })
      .immediate(),
  );
}
