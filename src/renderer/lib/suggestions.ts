import type { FarpointApi } from '../../shared/contract';

/**
 * Where the annotation tool gets a starting angle for a sample. The dial
 * starts at a suggestion, drawn dashed and labeled as one, until the user
 * moves it. The current orientation model's prediction (`getPrediction`) is
 * built in; another source registers itself from its own view module's
 * `<script module>` with `registerSuggestionProvider(...)`, and is asked
 * before the built-in one.
 */
export interface Suggestion {
  angle: number;
  /** Shown beside the value, e.g. "model 3". */
  source: string;
  /** The model that made it: an accepted suggestion is stored with it (null: not a model, so accepting it stores a hand label). */
  modelId: number | null;
}

export type SuggestionProvider = (api: FarpointApi, sampleId: number) => Promise<Suggestion | null>;

const modelPrediction: SuggestionProvider = async (api, sampleId) => {
  const p = await api.getPrediction({ sampleId });
  return p ? { angle: p.angle, source: `model ${p.modelId}`, modelId: p.modelId } : null;
};

const providers: SuggestionProvider[] = [modelPrediction];

export function registerSuggestionProvider(provider: SuggestionProvider): void {
  providers.unshift(provider);
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
