import type { Component } from 'svelte';
import type { AppState } from './app-state.svelte';

/**
 * A tab of the shell. A view file under `src/renderer/views/` gets a tab by
 * exporting `navEntry` from its `<script module>` block, e.g.
 *
 *   <script module lang="ts">
 *     export const navEntry = { id: 'duplicates', label: 'Duplicates', order: 60, needsProject: true };
 *   </script>
 *
 * No other file needs editing: the shell discovers it at build time, so later
 * areas (near-duplicates, evaluation) add views without touching the shell.
 */
export interface NavEntryMeta {
  /** The URL hash segment (`#/duplicates`), letters and dashes. */
  id: string;
  label: string;
  /** Tabs sort by this: Queue 10, Annotate 20, Map 30, Train 40, Samples 50; later views 60+. */
  order: number;
  /** A one-line description shown as the tab's tooltip. */
  title?: string;
  /** Keyboard shortcut digit (Alt+N), optional. */
  shortcut?: string;
}

export interface NavEntry extends NavEntryMeta {
  component: Component<{ app: AppState }>;
}

interface ViewModule {
  default: Component<{ app: AppState }>;
  navEntry?: NavEntryMeta;
}

function isNavMeta(value: unknown): value is NavEntryMeta {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.id === 'string' && /^[a-z][a-z-]*$/.test(v.id) && typeof v.label === 'string' && typeof v.order === 'number';
}

/** Every view that declares a tab, in tab order. */
export function discoverNavEntries(modules: Record<string, unknown>): NavEntry[] {
  const entries: NavEntry[] = [];
  for (const [file, mod] of Object.entries(modules)) {
    const { default: component, navEntry } = mod as ViewModule;
    if (navEntry === undefined) continue;
    if (!isNavMeta(navEntry)) {
      console.error(`${file}: navEntry needs id (lowercase letters and dashes), label and order`);
      continue;
    }
    if (entries.some((e) => e.id === navEntry.id)) {
      console.error(`${file}: a view with id '${navEntry.id}' already exists`);
      continue;
    }
    entries.push({ ...navEntry, component });
  }
  return entries.sort((a, b) => a.order - b.order || a.label.localeCompare(b.label));
}

/** Vite bundles every view file; the ones exporting `navEntry` become tabs. */
export const navEntries: NavEntry[] = discoverNavEntries(import.meta.glob('../views/*.svelte', { eager: true }));
