import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { validateArg } from '../../src/shared/contract';
import { Project } from '../../src/main/store/project';
import { listSamplePage, sampleKeyAt, samplePageSql, type SampleFilter } from '../../src/main/store/sample-pages';
import { writeManySamples } from '../helpers/many-samples';
import { tempDir } from '../helpers/temp';

const FILTERS: SampleFilter[] = ['all', 'active', 'excluded', 'labeled', 'unlabeled'];

/** The filter's ids in order, by the plain join (what the key pages must add up to). */
function referenceIds(db: Project['db'], filter: SampleFilter): number[] {
  const where: Record<SampleFilter, string> = {
    all: '1',
    active: "s.status = 'active'",
    excluded: "s.status = 'excluded'",
    labeled: 'l.angle IS NOT NULL',
    unlabeled: "l.angle IS NULL AND s.status = 'active'",
  };
  return db.prepare(`SELECT s.id FROM samples s LEFT JOIN current_labels l ON l.sample_id = s.id WHERE ${where[filter]} ORDER BY s.id`).pluck().all() as number[];
}

/** 3,000 samples: labels in runs and scattered (some on excluded samples), exclusions likewise. */
function manySamples(): Project {
  const file = path.join(tempDir(), 'pages.farpoint');
  writeManySamples(file, {
    count: 3000,
    labeled: (id) => id % 7 === 0 || (id > 1200 && id <= 1450) || id === 1,
    excluded: (id) => id % 11 === 0 || (id > 2500 && id <= 2600) || id === 3000,
  });
  return Project.open(file);
}

/** Every page after the previous page's `next`, concatenated. */
function walk(db: Project['db'], filter: SampleFilter, limit: number): { ids: number[]; totals: Set<number | null> } {
  const ids: number[] = [];
  const totals = new Set<number | null>();
  let page = listSamplePage(db, filter, null, limit);
  for (;;) {
    ids.push(...page.samples.map((s) => s.id));
    totals.add(page.total);
    assert.ok(page.samples.length <= limit);
    if (page.next === null) return { ids, totals };
    assert.equal(page.next, page.samples[page.samples.length - 1]!.id, 'next is the last id shown');
    page = listSamplePage(db, filter, { after: page.next }, limit);
  }
}

test('key pages add up to the full ordered list for every status filter, with totals and labels', () => {
  const project = manySamples();
  try {
    for (const filter of FILTERS) {
      const expected = referenceIds(project.db, filter);
      assert.ok(expected.length > 100, `${filter}: the fixture has a real list`);
      for (const limit of [1, 7, 200, 5000]) {
        if (limit === 1 && expected.length > 1000) continue;
        const { ids, totals } = walk(project.db, filter, limit);
        assert.deepEqual(ids, expected, `${filter}, pages of ${limit}`);
        assert.deepEqual([...totals], expected.length > limit ? [expected.length, null] : [expected.length], `${filter}: the first page says the total, later ones do not count`);
      }
    }
    const labeled = listSamplePage(project.db, 'labeled', { after: 1200 }, 3).samples;
    assert.deepEqual(
      labeled.map((s) => [s.id, s.angle]),
      [1201, 1202, 1203].map((id) => [id, id % 360]),
      'the label comes with each sample',
    );
    assert.deepEqual(listSamplePage(project.db, 'all', { after: 3000 }, 10), { total: null, samples: [], next: null }, 'after the last key: an empty last page');
  } finally {
    project.close();
  }
});

test('a page at a position starts where the full list has that position, for every filter and past the end', () => {
  const project = manySamples();
  try {
    for (const filter of FILTERS) {
      const expected = referenceIds(project.db, filter);
      const positions = [0, 1, 2, 13, Math.floor(expected.length / 3), Math.floor(expected.length / 2) + 1, expected.length - 2, expected.length - 1];
      for (const at of positions) {
        assert.equal(sampleKeyAt(project.db, filter, at), expected[at], `${filter} at ${at}`);
        const page = listSamplePage(project.db, filter, { at }, 25);
        assert.deepEqual(page.samples.map((s) => s.id), expected.slice(at, at + 25), `${filter}: page at ${at}`);
        assert.equal(page.next, at + 25 < expected.length ? expected[at + 24] : null, `${filter}: next of the page at ${at}`);
      }
      assert.equal(sampleKeyAt(project.db, filter, expected.length), null, `${filter}: past the end`);
      assert.deepEqual(listSamplePage(project.db, filter, { at: expected.length + 5 }, 25).samples, [], `${filter}: a page past the end is empty`);
    }
  } finally {
    project.close();
  }
});

test('a position still finds its sample when ids have gaps', () => {
  const project = manySamples();
  try {
    // Samples are never deleted by the app; a file written elsewhere may still lack some ids.
    project.db.prepare("DELETE FROM samples WHERE id BETWEEN 40 AND 60 AND id NOT IN (SELECT sample_id FROM annotations) AND id NOT IN (SELECT sample_id FROM status_changes)").run();
    const expected = referenceIds(project.db, 'all');
    assert.ok(expected.length < 3000);
    for (const at of [0, 38, 39, 40, 100, expected.length - 1]) assert.equal(sampleKeyAt(project.db, 'all', at), expected[at], `at ${at}`);
  } finally {
    project.close();
  }
});

test('a key page seeks its first id in the primary key or the status index, with no OFFSET', () => {
  const project = manySamples();
  try {
    for (const filter of FILTERS) {
      const sql = samplePageSql(filter);
      assert.doesNotMatch(sql, /\bOFFSET\b/i, filter);
      const plan = (project.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(1500, 200) as { detail: string }[]).map((r) => r.detail);
      // Label-bound rows start from the labels (few) and find each sample by its key; the others seek to the first id.
      const seek = filter === 'labeled' ? /SEARCH s USING INTEGER PRIMARY KEY \(rowid=\?\)/ : /SEARCH s USING (INTEGER PRIMARY KEY|INDEX samples_by_status) \((status=\? AND )?rowid>\?\)/;
      assert.ok(plan.some((d) => seek.test(d)), `${filter}: ${plan.join(' | ')}`);
      assert.ok(!plan.some((d) => /^SCAN s\b/.test(d)), `${filter} scans the samples: ${plan.join(' | ')}`);
    }
  } finally {
    project.close();
  }
});

test('listSamples takes a key or a position, not both, within limits', () => {
  assert.deepEqual(validateArg('listSamples', { after: 12 }), { ok: true, value: { status: 'all', after: 12, limit: 200 } });
  const refused = (arg: unknown, message: RegExp) => {
    const result = validateArg('listSamples', arg);
    assert.ok(!result.ok && message.test(result.error), `${JSON.stringify(arg)}: ${JSON.stringify(result)}`);
  };
  refused({ after: 12, at: 40 }, /at: give after \(a key\) or at \(a position\), not both/);
  refused({ at: -1 }, /^invalid argument for listSamples: at:/);
  refused({ after: 0 }, /after:/);
  refused({ offset: 100 }, /offset/);
  refused({ limit: 5001 }, /limit:/);
});
