import type { FarpointApi } from '../../shared/contract';

/**
 * Where the annotation tool gets a starting angle for a sample. The dial
 * starts at a suggestion, drawn dashed and labeled as one, until the user
 * moves it. Nothing provides suggestions yet: the evaluation area (model
 * predictions) registers a provider from its own view module, e.g. in
 * `views/Evaluation.svelte`'s `<script module>`:
 *
 *   registerSuggestionProvider(async (api, sampleId) => {
 *     const p = await api.getPrediction({ sampleId });
 *     return p ? { angle: p.angle, source: `model ${p.modelId}` } : null;
 *   });
 */
export interface Suggestion {
  angle: number;
  /** Shown beside the value, e.g. "model 3". */
  source: string;
}

export type SuggestionProvider = (api: FarpointApi, sampleId: number) => Promise<Suggestion | null>;

const providers: SuggestionProvider[] = [];

export function registerSuggestionProvider(provider: SuggestionProvider): void {
  providers.push(provider);
}

/** The first provider's answer; a failing provider never blocks labeling. */
export async function suggestionFor(api: FarpointApi, sampleId: number): Promise<Suggestion | null> {
  for (const provider of providers) {
    try {
      const found = await provider(api, sampleId);
      if (found) return found;
    } catch (err) {
      console.warn('suggestion provider failed', err);
    }
  }
  return null;
}
