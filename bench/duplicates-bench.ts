import os from 'node:os';
import { gaussian, seededRandom } from '../src/main/core/random';
import { buildNeighbourGraph, DEFAULT_K } from '../src/main/core/duplicates/build-graph';
import { clustersAtThreshold } from '../src/main/core/duplicates/clusters';
import { HNSW_PARAMS } from '../src/main/core/duplicates/hnsw-knn';
import { nearestDistances } from '../src/main/core/duplicates/neighbour-graph';
import { proposeThreshold } from '../src/main/core/duplicates/threshold';

/**
 * Neighbour graph and clusters for 100,000 × 32 latents (issue 6: clusters in
 * ≤ 30 s on 2 cores, recall ≥ 0.95 at k = 10). The vectors are a mixture of
 * 2,000 Gaussian blobs (the clustered shape latents have) with 5 % planted
 * near-copies; `npm run bench -- duplicates [count] [dim] [uniform]`.
 */
export async function run(args: string[]): Promise<void> {
  const count = Number(args[0] ?? 100_000);
  const dim = Number(args[1] ?? 32);
  const uniform = args.includes('uniform');
  const vectors = uniform ? uniformVectors(count, dim) : clusteredVectors(count, dim);
  const ids = Int32Array.from({ length: count }, (_, i) => i + 1);
  const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
  const before = process.memoryUsage();
  console.log(`duplicates: ${count.toLocaleString()} × ${dim} ${uniform ? 'uniform random' : 'clustered (2,000 blobs, 5 % planted near-copies)'} vectors, k = ${DEFAULT_K}, ${os.availableParallelism()} cores`);
  console.log(`duplicates: HNSW connectivity ${HNSW_PARAMS.connectivity}, expansion add ${HNSW_PARAMS.expansionAdd} / search ${HNSW_PARAMS.expansionSearch}`);

  let peakRss = before.rss;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const built = buildNeighbourGraph(vectors, dim, ids, {
    onProgress: () => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    },
  });
  const graphSeconds = (performance.now() - started) / 1000;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);

  const clusterStart = performance.now();
  const nearest = nearestDistances(built.graph);
  const threshold = proposeThreshold(nearest);
  const clusters = clustersAtThreshold({ graph: built.graph, vectors, dim, contentGroups: [] }, threshold);
  const clusterSeconds = (performance.now() - clusterStart) / 1000;
  const total = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;

  const moveStart = performance.now();
  const wider = clustersAtThreshold({ graph: built.graph, vectors, dim, contentGroups: [] }, threshold * 1.5);
  const moveSeconds = (performance.now() - moveStart) / 1000;

  const graphBytes = built.graph.ids.byteLength + built.graph.neighbours.byteLength + built.graph.distances.byteLength;
  const inClusters = clusters.reduce((sum, c) => sum + c.members.length, 0);
  console.log(`graph:    ${built.method}, ${graphSeconds.toFixed(2)} s (index, search, and recall against exact search on ${built.recallQueries} samples)`);
  console.log(`recall:   ${built.recall.toFixed(4)} at k = ${built.graph.k} (goal ≥ 0.95: ${built.recall >= 0.95 ? 'MET' : 'NOT MET'}; ${built.method === 'exact' ? 'exact search' : `${built.recallQueries} queries`})`);
  console.log(`clusters: ${clusters.length.toLocaleString()} clusters holding ${inClusters.toLocaleString()} samples at the proposed threshold ${threshold.toPrecision(4)}, in ${clusterSeconds.toFixed(2)} s`);
  console.log(`total:    ${total.toFixed(2)} s from vectors to clusters (goal ≤ 30 s on 2 cores: ${total <= 30 ? 'MET' : 'NOT MET'})`);
  // Other work on a shared machine stretches wall time; CPU time is what the graph itself cost.
  const load = os.loadavg()[0]!;
  console.log(`cpu:      ${cpuSeconds.toFixed(2)} s of CPU time (user + system) for those ${total.toFixed(2)} s; 1-minute load average ${load.toFixed(1)} on ${os.availableParallelism()} cores`);
  console.log(`moved:    threshold × 1.5 → ${wider.length.toLocaleString()} clusters in ${moveSeconds.toFixed(3)} s from the cached graph (no neighbour search)`);
  console.log(
    `memory:   vectors ${mb(vectors.byteLength)}, graph ${mb(graphBytes)}; process RSS ${mb(before.rss)} before, peak ${mb(peakRss)} while building (+${mb(peakRss - before.rss)})`,
  );
}

function clusteredVectors(count: number, dim: number): Float32Array {
  const random = seededRandom(42);
  const blobs = 2000;
  const centres = Float32Array.from({ length: blobs * dim }, () => gaussian(random) * 3);
  const out = new Float32Array(count * dim);
  for (let i = 0; i < count; i++) {
    if (i > 0 && random() < 0.05) {
      // A planted near-copy of an earlier sample.
      const of = Math.floor(random() * i);
      for (let q = 0; q < dim; q++) out[i * dim + q] = out[of * dim + q]! + gaussian(random) * 0.01;
      continue;
    }
    const c = Math.floor(random() * blobs);
    for (let q = 0; q < dim; q++) out[i * dim + q] = centres[c * dim + q]! + gaussian(random);
  }
  return out;
}

function uniformVectors(count: number, dim: number): Float32Array {
  const random = seededRandom(7);
  return Float32Array.from({ length: count * dim }, () => random());
}
