import type { CliCommand } from '../command';
import { agreementCommand } from './agreement';
import { checkCommand } from './check';
import { demoCommand } from './demo';
import { duplicatesCommand } from './duplicates';
import { embedCommand } from './embed';
import { exportEmbeddingsCommand } from './export-embeddings';
import { importCommand } from './import';
import { labelCommand } from './label';
import { evaluateCommand } from './evaluate';
import { exportCommand } from './export';
import { labelsCommand } from './labels';
import { mapCommand } from './map';
import { queueCommand } from './queue';
import { recoverCommand } from './recover';
import { serveCommand } from './serve';
import { settingsCommand } from './settings';
import { statusCommand } from './status';
import { trainCommand } from './train';

/** Every `farpoint` command, in the order `--help` lists them. Each area adds its own. */
export const commands: CliCommand[] = [demoCommand, importCommand, statusCommand, serveCommand, labelsCommand, evaluateCommand, exportCommand, duplicatesCommand, trainCommand, embedCommand, mapCommand, exportEmbeddingsCommand, queueCommand, labelCommand, checkCommand, recoverCommand, settingsCommand, agreementCommand];
