import { compare } from './train-bench';

/** `npm run bench -- embed [seconds]`: images/s embedding with the default encoder, per backend, beside PyTorch (see train-bench.ts). */
export async function run(args: string[]): Promise<void> {
  await compare('embed', Number(args[0] ?? 10));
}
