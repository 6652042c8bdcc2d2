import { DEFAULT_SPREAD_LIMIT } from '../../shared/angle-spread';

const KEY = 'farpoint.propagationSpreadLimit';

function stored(): number {
  const raw = typeof localStorage === 'undefined' ? null : localStorage.getItem(KEY);
  const value = raw === null ? NaN : Number(raw);
  return Number.isFinite(value) && value >= 0 && value <= 180 ? value : DEFAULT_SPREAD_LIMIT;
}

/** The angle spread above which propagating a cluster label asks first; remembered on this machine. */
class SpreadLimit {
  degrees = $state(stored());

  set(value: number): void {
    if (!Number.isFinite(value) || value < 0 || value > 180) return;
    this.degrees = value;
    localStorage.setItem(KEY, String(value));
  }
}

export const spreadLimit = new SpreadLimit();
