import type { Page } from 'playwright-core';
import type { AnnotationRecord, SampleInfo } from '../../../src/shared/domain';
import type { TestBackend } from '../../helpers/backend';
import { eventually } from '../../helpers/eventually';
import { call } from './app-page';

/** The sample on screen in Annotate once its image has drawn. */
export async function shownSample(page: Page): Promise<number> {
  await page.waitForFunction(() => {
    const el = document.querySelector<HTMLImageElement>('[data-testid=annotate-image]');
    return el !== null && el.complete && el.naturalWidth > 0;
  });
  return Number(await page.locator('[data-testid=annotate-image]').getAttribute('data-sample-id'));
}

/** Waits until another sample than `from` is on screen and drawn. */
export async function nextShown(page: Page, from: number): Promise<number> {
  await page.waitForFunction((old) => {
    const el = document.querySelector<HTMLImageElement>('[data-testid=annotate-image]');
    return el !== null && Number(el.dataset.sampleId) !== old && el.complete && el.naturalWidth > 0;
  }, from);
  return shownSample(page);
}

/** Waits until `id` is on screen and drawn. */
export async function shown(page: Page, id: number): Promise<void> {
  await page.waitForFunction((want) => {
    const el = document.querySelector<HTMLImageElement>('[data-testid=annotate-image]');
    return el !== null && Number(el.dataset.sampleId) === want && el.complete && el.naturalWidth > 0;
  }, id);
}

/** A sample once `ready` holds for it (the tool shows the next image before the write behind it lands), or what it is after the wait. */
export async function sampleWhen(backend: TestBackend, id: number, ready: (s: SampleInfo) => boolean): Promise<SampleInfo> {
  const read = () => call<SampleInfo>(backend, 'getSample', { id });
  return eventually(`sample ${id} to change`, async () => {
    const s = await read();
    return ready(s) ? s : undefined;
  }).catch(() => read());
}

/** The newest history entry of a sample once its count of entries reaches `entries`. */
export async function lastEntry(backend: TestBackend, id: number, entries: number): Promise<AnnotationRecord | undefined> {
  const read = () => call<AnnotationRecord[]>(backend, 'annotationHistory', { sampleId: id });
  const list = await eventually(`${entries} history entries of ${id}`, async () => {
    const h = await read();
    return h.length >= entries ? h : undefined;
  }).catch(() => read());
  return list.at(-1);
}
