import { angleSpread } from '../../../shared/angle-spread';
import type { KeepOneResult, PropagationResult } from '../../../shared/domain';
import { FarpointError } from '../../core/errors';
import { appendAnnotation, currentLabelOf as currentLabel, requireSample, setSampleStatus } from '../../store/annotations';
import { durableWrite, type Db } from '../../store/database';
import { memberAngles } from '../../store/member-angles';
import { activeAmong } from '../../store/samples';
import { readSettings } from '../../store/settings';

/**
 * What the review view does to a cluster. Every action is an ordinary,
 * reversible project change: exclusion goes through setSampleStatus (logged
 * in status_changes, undone by restoring), labels through the append-only
 * annotation history (a propagated label is undone by an appended 'clear').
 */

/** Keeps `keepId` in the pool (restoring it if it was set aside) and excludes every other member. */
export function keepOneExcludeRest(db: Db, keepId: number, memberIds: readonly number[]): KeepOneResult {
  if (!memberIds.includes(keepId)) throw new FarpointError(`keepId ${keepId} is not one of the cluster's members (${memberIds.slice(0, 10).join(', ')}${memberIds.length > 10 ? ', …' : ''})`);
  const others = [...new Set(memberIds.filter((id) => id !== keepId))];
  return durableWrite(db, () => {
    const keptWasExcluded = setSampleStatus(db, [keepId], 'active', `kept as representative of a duplicate cluster`).changed > 0;
    const activeBefore = new Set(activeAmong(db, others));
    setSampleStatus(db, others, 'excluded', `near-duplicate of sample ${keepId}`);
    return { kept: keepId, keptWasExcluded, excluded: others.filter((id) => activeBefore.has(id)) };
  });
}

/**
 * Copies `fromId`'s current label to the other samples as source
 * 'propagated' with propagatedFrom = fromId. A sample labeled by hand (or
 * imported) keeps its label: a guess from a neighbour never overwrites an
 * expert's judgement.
 */
export function propagateLabel(
  db: Db,
  author: string,
  fromId: number,
  toIds: readonly number[],
  guard: { maxSpread: number | null; regressorId: number | null } = { maxSpread: null, regressorId: null },
): PropagationResult {
  return durableWrite(db, () => {
    requireSample(db, fromId);
    const source = currentLabel(db, fromId);
    if (!source) throw new FarpointError(`sample ${fromId} has no label to propagate; label it first`, 409);
    const known = memberAngles(db, [...new Set(toIds)].filter((id) => id !== fromId), guard.regressorId)
      .map((m) => m.label ?? m.suggestion)
      .filter((a): a is number => a !== null);
    const { spread, known: knownAngles } = angleSpread(source.angle, known, readSettings(db).angleMode);
    if (guard.maxSpread !== null && spread > guard.maxSpread) {
      throw new FarpointError(
        `the cluster's labels and suggestions spread ${spread.toFixed(1)}° from sample ${fromId}'s ${source.angle.toFixed(1)}°, above the ${guard.maxSpread}° limit: confirm to propagate anyway`,
        409,
      );
    }
    const propagated: number[] = [];
    const entryIds: number[] = [];
    const skipped: { id: number; reason: string }[] = [];
    for (const id of new Set(toIds)) {
      if (id === fromId) continue;
      const existing = currentLabel(db, id);
      if (existing && existing.source !== 'propagated') {
        skipped.push({ id, reason: `has a ${existing.source} label (${existing.angle}°)` });
        continue;
      }
      entryIds.push(appendAnnotation(db, { sampleId: id, angle: source.angle, action: 'set', source: 'propagated', author, propagatedFrom: fromId }).id);
      propagated.push(id);
    }
    return { from: fromId, angle: source.angle, spread, knownAngles, propagated, entryIds, skipped };
  });
}

/** Removes the propagated labels among `sampleIds` by appending 'clear' entries; hand labels are left alone. */
export function clearPropagatedLabels(db: Db, author: string, sampleIds: readonly number[]): { cleared: number[]; entryIds: number[] } {
  return durableWrite(db, () => {
    const cleared: number[] = [];
    const entryIds: number[] = [];
    for (const id of new Set(sampleIds)) {
      if (currentLabel(db, id)?.source !== 'propagated') continue;
      entryIds.push(appendAnnotation(db, { sampleId: id, angle: null, action: 'clear', source: 'propagated', author }).id);
      cleared.push(id);
    }
    return { cleared, entryIds };
  });
}
