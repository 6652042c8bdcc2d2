import { strategyCatalog } from '../../../shared/strategy-catalog';
import { strategyNames } from '../../../shared/strategy-names';

/** `fps|random|…`: the value of a --strategy option, from the catalog. */
export const strategyChoices = strategyNames.join('|');

/** One help line per strategy of the catalog: its name and why one would choose it. */
export function strategyHelpLines(): string {
  return strategyNames.map((name) => `${name}: ${strategyCatalog[name].description}.`).join('\n');
}
