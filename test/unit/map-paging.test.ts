import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { seededRandom } from '../../src/main/core/random';
import type { FarpointApi } from '../../src/shared/contract';
import { MAP_EXCLUDED, type LatentMap, type LatentMapPage } from '../../src/shared/domain';
import { IdRows } from '../../src/renderer/lib/id-rows';
import { MapAssembly } from '../../src/renderer/lib/map-assembly';
import { loadMapDataPaged, type MapData } from '../../src/renderer/lib/map-data';
import { startBackend } from '../helpers/backend';
import { writeEmbeddedProject } from '../helpers/embedded-project';
import { tempDir } from '../helpers/temp';

const dir = tempDir();

/** Checks a loaded map against the whole map, row by row by sample id (the parts' rows arrive in another order). */
function assertSameMap(data: MapData, map: LatentMap): void {
  assert.equal(data.ids.length, map.count);
  assert.equal(data.total, map.count);
  for (let row = 0; row < map.count; row++) {
    const at = data.rowOf.get(map.ids[row]!);
    assert.ok(at !== undefined, `sample ${map.ids[row]} is loaded`);
    assert.equal(data.ids[at], map.ids[row]);
    assert.equal(data.xs[at], map.x[row]);
    assert.equal(data.ys[at], map.y[row]);
    assert.equal(data.excluded.has(map.ids[row]!), map.status[row] === MAP_EXCLUDED, `status of sample ${map.ids[row]}`);
  }
}

test('the map in parts holds every row of the whole map once, with its status and the whole extent; the contract refuses parts out of range', async () => {
  const file = path.join(dir, 'paged.farpoint');
  writeEmbeddedProject(file, 1000, (i) => Float32Array.from([Math.sin(i) * i, Math.cos(i * 0.3), (i % 17) * 0.2, i * 0.01]));
  const backend = await startBackend(file);
  try {
    backend.session.project.db.prepare("UPDATE samples SET status = 'excluded' WHERE id % 9 = 4").run();
    let map = (await backend.handlers.getLatentMap({})) as LatentMap;
    for (let i = 0; i < 600 && map.state === 'computing'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      map = (await backend.handlers.getLatentMap({})) as LatentMap;
    }
    assert.equal(map.state, 'ready');
    assert.ok(map.status.some((s) => s === MAP_EXCLUDED));

    const parts = 7;
    const pages = [] as LatentMapPage[];
    for (let part = 0; part < parts; part++) pages.push((await backend.handlers.getLatentMapPage({ part, parts })) as LatentMapPage);
    for (const page of pages) {
      assert.equal(page.total, 1000);
      assert.equal(page.version, pages[0]!.version);
      assert.deepEqual(page.explainedVariance, map.explainedVariance);
      // Rows part, part + parts, …: an even sample of the map.
      assert.deepEqual(Array.from(page.ids), Array.from(map.ids).filter((_, row) => row % parts === page.part));
    }
    const xs = Array.from(map.x), ys = Array.from(map.y);
    assert.deepEqual(pages[0]!.bounds, { minX: Math.min(...xs), maxX: Math.max(...xs), minY: Math.min(...ys), maxY: Math.max(...ys) });

    // Assembled in any order of arrival, the parts are the whole map.
    const order = [3, 0, 6, 1, 5, 2, 4];
    const assembly = new MapAssembly(pages[order[0]!]!);
    for (const part of order.slice(1)) {
      assert.equal(assembly.complete, false);
      assert.ok(assembly.add(pages[part]!));
    }
    assert.ok(assembly.add(pages[2]!), 'a part that arrives twice is taken once');
    assert.ok(assembly.complete);
    assertSameMap(assembly.snapshot(), map);

    // More parts than rows: the last parts are empty.
    const tiny = (await backend.handlers.getLatentMapPage({ part: 1023, parts: 1024 })) as LatentMapPage;
    assert.equal(tiny.ids.length, 0);

    for (const [arg, message] of [
      [{ part: 3, parts: 3 }, /part must be below parts/],
      [{ part: 0, parts: 1025 }, /parts/],
      [{ part: -1, parts: 4 }, /part/],
      [{ part: 0.5, parts: 4 }, /part/],
      [{ parts: 4 }, /part/],
    ] as const) {
      const reply = await backend.call('getLatentMapPage', arg);
      assert.equal(reply.status, 400, JSON.stringify(arg));
      assert.match(reply.body.error ?? '', message);
    }
  } finally {
    await backend.close();
  }
});

/** Pages of a synthetic map of `count` rows, cut as the back end cuts them. */
function pagesOf(count: number, version: string, parts: number): LatentMapPage[] {
  const random = seededRandom(count);
  const ids = Int32Array.from({ length: count }, (_, i) => 10 + i * 3);
  const x = Float32Array.from({ length: count }, () => random());
  const y = Float32Array.from({ length: count }, () => random());
  return Array.from({ length: parts }, (_, part) => {
    const rows = Array.from({ length: count }, (_, r) => r).filter((r) => r % parts === part);
    return {
      modelId: 1,
      state: 'ready',
      job: null,
      version,
      part,
      parts,
      total: count,
      bounds: { minX: 0, maxX: 1, minY: 0, maxY: 1 },
      explainedVariance: [0.5, 0.2],
      ids: Int32Array.from(rows, (r) => ids[r]!),
      x: Float32Array.from(rows, (r) => x[r]!),
      y: Float32Array.from(rows, (r) => y[r]!),
      status: Uint8Array.from(rows, (r) => (r % 5 === 0 ? MAP_EXCLUDED : 0)),
    } satisfies LatentMapPage;
  });
}

test('a paged load shows the first part, then doubles, and starts over when the map changes under it', async () => {
  const parts = 16;
  const old = pagesOf(3200, 'v1', parts);
  const fresh = pagesOf(3300, 'v2', parts);
  let served = 0;
  // The map changes after the fifth part: the load must end with v2's rows only.
  const api = {
    getLatentMapPage: async ({ part }: { part: number; parts: number }) => (served++ < 5 ? old : fresh)[part]!,
  } as unknown as FarpointApi;
  const shown: number[] = [];
  let last: MapData | null = null;
  const progress: [number, number][] = [];
  const data = await loadMapDataPaged(
    api,
    (d) => {
      shown.push(d.ids.length);
      last = d;
    },
    (loaded, total) => progress.push([loaded, total]),
    parts,
  );
  const lastShown = (): MapData | null => last;
  assert.ok(data === lastShown(), 'the whole map is the last picture shown, not another copy to rebuild');
  assert.equal(data.version, 'v2');
  assert.equal(data.ids.length, 3300);
  assert.equal(new Set(data.ids).size, 3300);
  assert.equal(data.excluded.size, Math.ceil(3300 / 5));
  assert.deepEqual(progress.at(-1), [3300, 3300]);
  // v1: 200 rows, then 400, 800; v2 from its first part again, doubling to the whole.
  assert.deepEqual(shown, [200, 400, 800, 207, 414, 828, 1858, 3300]);
});

test('the id-to-row table answers as a Map does, for dense, sparse and colliding ids', () => {
  const random = seededRandom(21);
  const rows = new IdRows(5000);
  const reference = new Map<number, number>();
  const ids = [
    ...Array.from({ length: 2000 }, (_, i) => i + 1),
    ...Array.from({ length: 2000 }, () => 1 + Math.floor(random() * 0x7ffffffe)),
    ...Array.from({ length: 1000 }, (_, i) => (i + 1) * 4096),
  ];
  ids.forEach((id, row) => {
    rows.set(id, row);
    reference.set(id, row);
  });
  for (const [id, row] of reference) assert.equal(rows.get(id), row, `id ${id}`);
  for (let i = 0; i < 2000; i++) {
    const id = 1 + Math.floor(random() * 0x7ffffffe);
    assert.equal(rows.get(id), reference.get(id));
  }
  assert.equal(rows.get(0), undefined);
  assert.equal(rows.get(-3), undefined);
  assert.throws(() => rows.set(0, 1), /sample id 0 is not a positive 32-bit integer/);
});
