import { z } from 'zod';
import { request } from './define';
import { empty, jobId, localPath, pageArgs, sampleId, strategyName, typiclustBatch } from './schemas';
import { ADJUSTMENT_MAX, ADJUSTMENT_MIN } from '../image-adjustments';
import type { ImportSummary, JobInfo, ProjectSettings, ProjectStatus, SampleInfo, ThumbnailPage } from '../domain';

const finite = z.number().finite();
const windowSetting = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('auto'), fileWindow: z.number().int().min(0).max(100) }).strict(),
  z.object({ mode: z.literal('percentile') }).strict(),
  z.object({ mode: z.literal('fixed'), center: finite.min(-1e7).max(1e7), width: finite.min(1).max(1e7) }).strict(),
]);

const adjustmentPercent = z.number().int().min(ADJUSTMENT_MIN).max(ADJUSTMENT_MAX);
const imageAdjustments = z
  .object({ brightness: adjustmentPercent, contrast: adjustmentPercent, invert: z.boolean(), pixelZoom: z.boolean() })
  .strict();

/** Largest file an import reads, in MiB (default 1024: 1 GiB); larger files are skipped unread with the reason. */
const maxFileMegabytes = z.number().int().min(1).max(1024 * 1024);

/** Opening projects, importing images, browsing samples and watching jobs. */
export const projectRequests = {
  listRecentProjects: request(empty, 'Projects opened recently on this machine, newest first.').returns<
    { path: string; name: string; openedAt: string }[]
  >(),
  openProject: request(z.object({ path: localPath }).strict(), 'Open an existing *.farpoint project file.').returns<ProjectStatus>(),
  createProject: request(
    z.object({ path: localPath, importFolder: localPath.optional(), maxFileMegabytes: maxFileMegabytes.optional() }).strict(),
    'Create a new project file, optionally starting an import of a folder.',
  ).returns<{ status: ProjectStatus; importJob: JobInfo | null }>(),
  getStatus: request(empty, 'Counts and settings of the open project.').returns<ProjectStatus>(),
  updateSettings: request(
    z
      .object({
        angleMode: z.enum(['full', 'axial']).optional(),
        strategy: strategyName.optional(),
        randomSeed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
        typiclustBatch: typiclustBatch.optional(),
        inputSize: z.number().int().min(16).max(256).optional(),
        latentDim: z.number().int().min(2).max(512).optional(),
        channels: z.union([z.literal(1), z.literal(3)]).optional(),
        window: windowSetting.optional(),
        keepPatientAttributes: z.boolean().optional(),
        imageAdjustments: imageAdjustments.optional(),
      })
      .strict(),
    'Change project settings.',
  ).returns<ProjectSettings>(),
  listSamples: request(
    z
      .object({
        status: z.enum(['all', 'active', 'excluded', 'labeled', 'unlabeled']).default('all'),
        /** The previous page's `next`: the page starts after this sample id. */
        after: sampleId.optional(),
        /** A position in the filter's order (a jump of a scroll bar): the page starts at the sample there. */
        at: z.number().int().min(0).max(100_000_000).optional(),
        limit: pageArgs.shape.limit,
      })
      .strict()
      .refine((a) => a.after === undefined || a.at === undefined, { message: 'give after (a key) or at (a position), not both', path: ['at'] }),
    'A page of samples in id order, paged by key: the first page, the page after a sample id (`after`, the last page\'s `next`), or the page at a position (`at`).',
  ).returns<ThumbnailPage>(),
  getSample: request(z.object({ id: sampleId }).strict(), 'One sample with its current label.').returns<SampleInfo>(),
  importFolder: request(
    z.object({ folder: localPath, maxFileMegabytes: maxFileMegabytes.optional() }).strict(),
    'Start importing a folder (recursive) as a job; files over maxFileMegabytes MiB (default 1024) are skipped unread.',
  ).returns<JobInfo>(),
  lastImportReport: request(empty, 'The summary of the most recent import, with skipped files.').returns<ImportSummary | null>(),
  listJobs: request(empty, 'Jobs of this session, newest first.').returns<JobInfo[]>(),
  getJob: request(z.object({ id: jobId }).strict(), 'One job by id, with its progress and result.').returns<JobInfo>(),
  cancelJob: request(z.object({ id: jobId }).strict(), 'Ask a running job to stop.').returns<JobInfo>(),
};
