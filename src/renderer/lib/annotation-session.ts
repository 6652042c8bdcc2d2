import type { ArgOf, FarpointApi } from '../../shared/contract';
import type { AnnotationRecord, KeepOneResult, PropagationResult } from '../../shared/domain';

/** The requests a labeling session writes through. */
export type SessionApi = Pick<
  FarpointApi,
  | 'saveLabel'
  | 'revertLabel'
  | 'reapplyLabel'
  | 'revertLabels'
  | 'reapplyLabels'
  | 'skipSample'
  | 'unskipSample'
  | 'setSampleStatus'
  | 'propagateClusterLabel'
  | 'keepOneExcludeRest'
  | 'clearPropagatedLabels'
>;

/** 'propagate': one member's label copied to a cluster; 'clear-propagated': a cluster's propagated labels removed; 'keep-one': one member kept, the rest of a cluster excluded. */
export type DecisionKind = 'save' | 'skip' | 'exclude' | 'include' | 'propagate' | 'clear-propagated' | 'keep-one';

/** One thing the expert did (in Annotate or to a duplicate cluster), undoable and redoable. */
export interface Decision {
  /** Order within the session (1 first). */
  seq: number;
  kind: DecisionKind;
  /** The sample decided on; for a propagation the one whose label was copied, for keep-one the one kept, for a clearing the first cleared. */
  sampleId: number;
  /** The other samples a cluster decision changed, once its write has landed: the members labeled (propagate), cleared or excluded (keep-one). */
  members: number[];
  /** The history entries a propagation or clearing wrote, one per member, once its write has landed. */
  entryIds: number[];
  /** The value saved (save only). */
  angle: number | null;
  /** Where the saved value came from (save only). */
  source: 'hand' | 'suggestion' | null;
  /** The sample was excluded before this save or keep-one (both bring it back; their undo excludes it again). */
  wasExcluded: boolean;
  /** The history entry the save wrote, once its write has landed. */
  entryId: number | null;
}

interface Tracked {
  decision: Decision;
  /** Settles when the decision's write has landed (or failed). */
  written: Promise<unknown>;
}

/**
 * The annotation session's state machine: what the expert decided in this
 * session, in order, with undo and redo that give back exactly the state
 * before (a label's prior value and source, a status, a skip). Every write
 * goes to the back end one after another, so an undo always acts on the
 * write it follows, even when the UI moved on before that write landed.
 * The history on disk stays append-only: an undo appends an entry that
 * restores the earlier value.
 */
export class AnnotationSession {
  private done: Tracked[] = [];
  private undone: Tracked[] = [];
  private writes: Promise<unknown> = Promise.resolve();
  private seq = 0;
  /** When the session began (for labels per hour). */
  readonly startedAt: number;

  constructor(
    private readonly api: SessionApi,
    private readonly onchange: () => void = () => undefined,
    now: number = Date.now(),
  ) {
    this.startedAt = now;
  }

  /** Decisions in force, oldest first. */
  get decisions(): Decision[] {
    return this.done.map((t) => t.decision);
  }

  /** Labels saved in this session and not undone. */
  get labels(): number {
    return this.done.filter((t) => t.decision.kind === 'save').length;
  }

  get canUndo(): boolean {
    return this.done.length > 0;
  }

  get canRedo(): boolean {
    return this.undone.length > 0;
  }

  /** The next decision a redo would apply again. */
  get nextRedo(): Decision | null {
    return this.undone.at(-1)?.decision ?? null;
  }

  /** Resolves when every write so far has landed (or failed). */
  settled(): Promise<void> {
    return this.writes.then(
      () => undefined,
      () => undefined,
    );
  }

  save(arg: ArgOf<'saveLabel'>, wasExcluded: boolean): Promise<AnnotationRecord> {
    const decision = this.decision('save', arg.sampleId, { angle: arg.angle, source: arg.source ?? 'hand', wasExcluded });
    return this.track(decision, async () => {
      const record = await this.api.saveLabel(arg);
      decision.entryId = record.id;
      return record;
    });
  }

  skip(sampleId: number): Promise<unknown> {
    return this.track(this.decision('skip', sampleId), () => this.api.skipSample({ sampleId }));
  }

  exclude(sampleId: number): Promise<unknown> {
    return this.track(this.decision('exclude', sampleId), () => this.api.setSampleStatus({ sampleIds: [sampleId], status: 'excluded' }));
  }

  include(sampleId: number): Promise<unknown> {
    return this.track(this.decision('include', sampleId), () => this.api.setSampleStatus({ sampleIds: [sampleId], status: 'active' }));
  }

  /** Copies one member's label to a cluster; its undo puts every member it labeled back to its label before (or none). */
  propagate(arg: ArgOf<'propagateClusterLabel'>): Promise<PropagationResult> {
    const decision = this.decision('propagate', arg.fromId);
    return this.track(decision, async () => {
      const result = await this.api.propagateClusterLabel(arg);
      decision.angle = result.angle;
      decision.members = result.propagated;
      decision.entryIds = result.entryIds;
      if (result.entryIds.length === 0) this.forget(decision);
      return result;
    });
  }

  /** Removes the propagated labels among these samples; its undo puts each one back. */
  clearPropagated(arg: ArgOf<'clearPropagatedLabels'>): Promise<{ cleared: number[]; entryIds: number[] }> {
    const decision = this.decision('clear-propagated', arg.sampleIds[0]!);
    return this.track(decision, async () => {
      const result = await this.api.clearPropagatedLabels(arg);
      decision.members = result.cleared;
      decision.entryIds = result.entryIds;
      if (result.cleared[0] !== undefined) decision.sampleId = result.cleared[0];
      if (result.entryIds.length === 0) this.forget(decision);
      return result;
    });
  }

  /** Keeps one member of a cluster and excludes the rest; its undo restores only the members it excluded. */
  keepOne(arg: ArgOf<'keepOneExcludeRest'>): Promise<KeepOneResult> {
    const decision = this.decision('keep-one', arg.keepId);
    return this.track(decision, async () => {
      const result = await this.api.keepOneExcludeRest(arg);
      decision.members = result.excluded;
      decision.wasExcluded = result.keptWasExcluded;
      if (result.excluded.length === 0 && !result.keptWasExcluded) this.forget(decision);
      return result;
    });
  }

  /** Takes back the latest decision of this session; null when there is none left. */
  async undo(): Promise<Decision | null> {
    const last = this.done.pop();
    if (!last) return null;
    this.undone.push(last);
    this.onchange();
    let neverWritten = false;
    try {
      await this.serially(async () => {
        neverWritten = await last.written.then(
          () => false,
          () => true,
        );
        if (!neverWritten) await this.reverse(last.decision);
      });
    } catch (err) {
      // Not undone after all: it stays in force and can be tried again.
      this.undone.pop();
      this.done.push(last);
      this.onchange();
      throw err;
    }
    if (neverWritten) {
      // Its write failed, so it never happened: the undo goes to the one before.
      this.undone = this.undone.filter((t) => t !== last);
      return this.undo();
    }
    return last.decision;
  }

  /** Applies the latest undone decision again; null when there is none. */
  async redo(): Promise<Decision | null> {
    const next = this.undone.pop();
    if (!next) return null;
    this.done.push(next);
    this.onchange();
    try {
      await this.serially(() => this.apply(next.decision));
    } catch (err) {
      this.done.pop();
      this.undone.push(next);
      this.onchange();
      throw err;
    }
    return next.decision;
  }

  private decision(kind: DecisionKind, sampleId: number, extra: Partial<Decision> = {}): Decision {
    return { seq: ++this.seq, kind, sampleId, members: [], entryIds: [], angle: null, source: null, wasExcluded: false, entryId: null, ...extra };
  }

  /** A decision whose write changed nothing has nothing to undo: it leaves the history. */
  private forget(decision: Decision): void {
    this.done = this.done.filter((t) => t.decision !== decision);
    this.undone = this.undone.filter((t) => t.decision !== decision);
    this.onchange();
  }

  private track<T>(decision: Decision, write: () => Promise<T>): Promise<T> {
    const written = this.serially(write);
    const tracked: Tracked = { decision, written };
    this.done.push(tracked);
    // A new decision starts a new branch: what was undone before cannot be redone over it.
    this.undone = [];
    this.onchange();
    written.catch(() => {
      // A write that failed never happened: it leaves the history it was put in.
      this.done = this.done.filter((t) => t !== tracked);
      this.onchange();
    });
    return written;
  }

  private serially<T>(write: () => Promise<T>): Promise<T> {
    const run = this.writes.then(write, write);
    this.writes = run.catch(() => undefined);
    return run;
  }

  private async reverse(d: Decision): Promise<void> {
    const ids = [d.sampleId];
    switch (d.kind) {
      case 'save':
        if (d.entryId === null) throw new Error(`the label of sample ${d.sampleId} was never stored, so there is nothing to undo`);
        await this.api.revertLabel({ annotationId: d.entryId });
        if (d.wasExcluded) await this.api.setSampleStatus({ sampleIds: ids, status: 'excluded' });
        return;
      case 'skip':
        await this.api.unskipSample({ sampleId: d.sampleId });
        return;
      case 'exclude':
        await this.api.setSampleStatus({ sampleIds: ids, status: 'active' });
        return;
      case 'include':
        await this.api.setSampleStatus({ sampleIds: ids, status: 'excluded' });
        return;
      case 'propagate':
      case 'clear-propagated':
        if (d.entryIds.length > 0) await this.api.revertLabels({ annotationIds: d.entryIds });
        return;
      case 'keep-one':
        if (d.members.length > 0) await this.api.setSampleStatus({ sampleIds: d.members, status: 'active' });
        if (d.wasExcluded) await this.api.setSampleStatus({ sampleIds: ids, status: 'excluded' });
        return;
    }
  }

  private async apply(d: Decision): Promise<void> {
    const ids = [d.sampleId];
    switch (d.kind) {
      case 'save':
        if (d.entryId === null) throw new Error(`the label of sample ${d.sampleId} was never stored, so there is nothing to redo`);
        await this.api.reapplyLabel({ annotationId: d.entryId });
        if (d.wasExcluded) await this.api.setSampleStatus({ sampleIds: ids, status: 'active' });
        return;
      case 'skip':
        await this.api.skipSample({ sampleId: d.sampleId });
        return;
      case 'exclude':
        await this.api.setSampleStatus({ sampleIds: ids, status: 'excluded' });
        return;
      case 'include':
        await this.api.setSampleStatus({ sampleIds: ids, status: 'active' });
        return;
      case 'propagate':
      case 'clear-propagated':
        if (d.entryIds.length > 0) await this.api.reapplyLabels({ annotationIds: d.entryIds });
        return;
      case 'keep-one':
        if (d.wasExcluded) await this.api.setSampleStatus({ sampleIds: ids, status: 'active' });
        if (d.members.length > 0) await this.api.setSampleStatus({ sampleIds: d.members, status: 'excluded' });
        return;
    }
  }
}

/** A decision in a few words, for the status line and the strip of recent decisions. */
export function describeDecision(d: Decision): string {
  switch (d.kind) {
    case 'save':
      return `${d.source === 'suggestion' ? 'accepted' : 'saved'} #${d.sampleId} at ${(d.angle ?? 0).toFixed(1)}°`;
    case 'skip':
      return `skipped #${d.sampleId}`;
    case 'exclude':
      return `excluded #${d.sampleId}`;
    case 'include':
      return `included #${d.sampleId}`;
    case 'propagate':
      return `propagated #${d.sampleId}'s ${(d.angle ?? 0).toFixed(1)}° to ${plural(d.members.length, 'sample')}`;
    case 'clear-propagated':
      return `cleared ${plural(d.members.length, 'propagated label')}`;
    case 'keep-one':
      return `kept #${d.sampleId}, excluded ${plural(d.members.length, 'near-duplicate')}`;
  }
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
