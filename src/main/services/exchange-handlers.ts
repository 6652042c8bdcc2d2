import fs from 'node:fs';
import path from 'node:path';
import type { exchangeRequests } from '../../shared/contract/exchange-requests';
import { FarpointError, messageOf } from '../errors';
import { computeAgreement, listConflicts } from '../labels/agreement';
import { exportLabelPack, mergeLabelPack, validateLabelPack } from '../labels/label-pack';
import type { HandlersFor } from './handler-types';
import type { Session } from './session';

export function exchangeHandlers(session: Session): HandlersFor<typeof exchangeRequests> {
  return {
    exportLabelPack: ({ path: file }) => {
      const pack = exportLabelPack(session.project.db, session.project.path);
      const target = path.resolve(file);
      try {
        fs.writeFileSync(`${target}.partial`, JSON.stringify(pack));
        fs.renameSync(`${target}.partial`, target);
      } catch (err) {
        throw new FarpointError(`cannot write ${target}: ${messageOf(err)}`);
      }
      return { file: target, samples: pack.samples.length, annotations: pack.samples.reduce((n, s) => n + s.annotations.length, 0) };
    },
    mergeLabelPack: ({ path: file }) => {
      let raw: unknown;
      try {
        raw = JSON.parse(fs.readFileSync(file, 'utf8'));
      } catch (err) {
        throw new FarpointError(`cannot read label pack ${file}: ${messageOf(err)}`, (err as NodeJS.ErrnoException).code === 'ENOENT' ? 404 : 400);
      }
      const summary = mergeLabelPack(session.project.db, validateLabelPack(raw, file));
      session.changed(['labels']);
      return summary;
    },
    getAgreement: () => computeAgreement(session.project.db),
    listLabelConflicts: ({ tolerance }) => listConflicts(session.project.db, tolerance),
  };
}
