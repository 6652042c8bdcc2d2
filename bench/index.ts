/**
 * `npm run bench -- NAME [args]`: each benchmark prints its figures and the
 * comparison its issue names, measured side by side in one run.
 */
export {};

const benches: Record<string, () => Promise<{ run(args: string[]): Promise<void> }>> = {
  import: () => import('./import-bench'),
  duplicates: () => import('./duplicates-bench'),
  fps: () => import('./fps-bench'),
  train: () => import('./train-bench'),
  'train-profile': () => import('./train-profile-bench'),
  invariance: () => import('./invariance-bench'),
  embed: () => import('./embed-bench'),
  regressor: () => import('./regressor-bench'),
  selection: () => import('./selection-bench'),
  labels: () => import('./labels-bench'),
  integrity: () => import('./integrity-bench'),
  million: () => import('./million-bench'),
  'sample-pages': () => import('./sample-pages-bench'),
  'deep-queue': () => import('./deep-queue-bench'),
  // Loaded by a computed path so the Node-only type-check does not pull in its browser code (checked with the DOM library).
  ui: () => import(['.', 'ui-bench'].join('/')),
};

const [name, ...args] = process.argv.slice(2);
if (!name || !benches[name]) {
  console.error(`usage: npm run bench -- <${Object.keys(benches).join('|')}> [args]`);
  process.exit(2);
}
await (await benches[name]!()).run(args);
