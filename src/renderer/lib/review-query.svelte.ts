import type { ArgOf } from '../../shared/contract';
import type { ReviewFilter, ReviewSort, StrategyName } from '../../shared/domain';

/**
 * What the Samples view's review mode is showing. One instance for the app's
 * life, so opening a sample in Annotate and coming back keeps the filters.
 */
export class ReviewQueryState {
  filter = $state<ReviewFilter>('all');
  author = $state<string>('');
  strategy = $state<StrategyName | ''>('');
  /** Angle range as typed: both empty for none. */
  angleMin = $state<string>('');
  angleMax = $state<string>('');
  search = $state<string>('');
  sort = $state<ReviewSort>('id');
  descending = $state(false);

  /** The angle range as numbers, or an error naming the bad value, or null for none. */
  get angleRange(): { min: number; max: number } | { error: string } | null {
    const min = this.angleMin.trim();
    const max = this.angleMax.trim();
    if (min === '' && max === '') return null;
    if (min === '' || max === '') return { error: 'an angle range needs both ends' };
    const a = Number(min);
    const b = Number(max);
    if (!Number.isFinite(a)) return { error: `"${min}" is not an angle` };
    if (!Number.isFinite(b)) return { error: `"${max}" is not an angle` };
    return { min: a, max: b };
  }

  /** The request argument for the first page (the caller adds `after` for later ones). */
  toArg(limit: number): ArgOf<'reviewSamples'> {
    const range = this.angleRange;
    return {
      filter: this.filter,
      ...(this.author ? { author: this.author } : {}),
      ...(this.strategy ? { strategy: this.strategy } : {}),
      ...(range && !('error' in range) ? { angleMin: range.min, angleMax: range.max } : {}),
      search: this.search,
      sort: this.sort,
      descending: this.descending,
      limit,
    };
  }

  reset(): void {
    this.filter = 'all';
    this.author = '';
    this.strategy = '';
    this.angleMin = '';
    this.angleMax = '';
    this.search = '';
  }
}

export const reviewQuery = new ReviewQueryState();
