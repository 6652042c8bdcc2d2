import { saveHandLabel } from '../../src/main/store/annotations';
import { Project } from '../../src/main/store/project';

/**
 * Saves COUNT hand labels in a project (argv: PROJECT COUNT), between two
 * marker lines on stderr, so a tracer can tell which system calls the label
 * commits themselves made.
 */
const [file, count] = process.argv.slice(2) as [string, string];
const project = Project.open(file);
process.stderr.write('LABELS-BEGIN\n');
for (let i = 0; i < Number(count); i++) saveHandLabel(project.db, 'tester', { sampleId: (i % 5) + 1, angle: i * 7, queueRank: i, strategy: 'fps' });
process.stderr.write('LABELS-END\n');
project.close();
