/**
 * What the UI, the CLI and the contract know of each selection strategy: its
 * name (the key), the label the Queue view shows, one sentence on why one
 * would choose it, and its colour in the learning-curve plots. The back end's
 * implementation of each (offline and live order) is registered under the
 * same name in src/main/core/strategies/registry.ts, whose type requires an
 * entry for every name here; everything else derives from this object, so a
 * strategy is named once. Keys are listed in the order the UI offers them.
 */
export interface StrategyInfo {
  /** Shown in the Queue view's strategy switch. */
  readonly label: string;
  /** One sentence: what the order does and why one would pick it (Queue tooltip, CLI help). */
  readonly description: string;
  /** Its line in the learning-curve plots: colour-blind-safe (Okabe–Ito), fixed so every run reads the same. */
  readonly colour: string;
}

export const strategyCatalog = {
  fps: {
    label: 'Novelty (furthest point)',
    description: 'Each next sample is the one farthest from everything labeled (FPS): the labels spread over the whole latent space',
    colour: '#0072b2',
  },
  random: { label: 'Random', description: "The project's seeded random order: the paper's baseline", colour: '#555555' },
  typiclust: {
    label: 'TypiClust',
    description: 'A batch at a time: the most typical sample of each uncovered cluster',
    colour: '#009e73',
  },
  'fps-dense': {
    label: 'FPS, dense first',
    description: 'Furthest point over the dense part of the pool; outliers last',
    colour: '#d55e00',
  },
  probcover: {
    label: 'ProbCover',
    description: 'Each next sample covers the most samples not yet near a labeled one',
    colour: '#cc79a7',
  },
  auto: {
    label: 'Auto: representative, then novelty',
    description: 'ProbCover while a pick still represents other samples, then furthest point',
    colour: '#e69f00',
  },
} as const satisfies Record<string, StrategyInfo>;
