import path from 'node:path';
import { before } from 'node:test';
import { importFolder } from '../../src/main/stages/import/import-folder';
import { Project } from '../../src/main/store/project';
import { writeImageFolder } from './images';
import { tempDir } from './temp';

/**
 * The training tests' setup: a folder of `count` small real PNGs, written once
 * before the file's tests (on the wasm backend, the one this machine has), and
 * fresh projects that import it.
 */
export function trainingImages(count = 40, size = 32): { dir: string; images: string; freshProject: (name: string) => Promise<Project> } {
  const dir = tempDir();
  const images = path.join(dir, 'images');
  before(async () => {
    process.env.FARPOINT_TF_BACKEND = 'wasm';
    await writeImageFolder(images, count, size);
  });
  const freshProject = async (name: string): Promise<Project> => {
    const project = Project.create(path.join(dir, name));
    await importFolder(project.db, images);
    return project;
  };
  return { dir, images, freshProject };
}
