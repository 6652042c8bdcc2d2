import type { CliCommand, CommandContext } from '../command';
import { schemaIntOption, stringOption } from '../command';
import { DEFAULT_MAX_TRAINING_IMAGES, DEFAULT_TRAINING_EPOCHS, trainingArgs } from '../../../../shared/contract/ml-requests';
import type { TrainResult } from '../../../../shared/domain';
import { encoderKinds, isEncoderKind, type EncoderKind } from '../../../../shared/encoder-kinds';
import { FarpointError } from '../../../core/errors';
import { withProject } from '../contract-client';
import { formatProgress } from '../output';

export const trainCommand: CliCommand = {
  name: 'train',
  args: 'PROJECT',
  summary: "Train the project's self-supervised encoder on every active sample (then run `farpoint embed`).",
  details:
    '--encoder autoencoder (default): the paper\'s autoencoder, reconstruction loss, no augmentation.\n' +
    '--encoder contrastive: the same encoder trained with NT-Xent (SimCLR) on two augmented views per image\n' +
    '(tone, blur, noise, small shifts and zooms), so tone alone no longer separates images.\n' +
    'Neither ever rotates or flips an image (orientation must stay visible in the latent space).\n' +
    'Validation split, early stopping, and a checkpoint after every epoch: run the same command again after an\n' +
    'interruption and it resumes from the last finished epoch. FARPOINT_TF_BACKEND=node|wasm|cpu forces a backend.\n' +
    'Defaults come from the project settings (input size 64, gray, latent dimension 32, seed 1).',
  options: {
    encoder: { type: 'string', value: 'KIND', description: `the encoder to train: ${encoderKinds.join(' or ')} (default autoencoder)` },
    epochs: { type: 'string', value: 'N', description: `maximum epochs (default ${DEFAULT_TRAINING_EPOCHS})` },
    size: { type: 'string', value: 'S', description: 'input size in pixels, a multiple of 16 (default: project setting)' },
    latent: { type: 'string', value: 'D', description: 'latent dimension (default: project setting)' },
    seed: { type: 'string', value: 'K', description: 'random seed (default: project setting)' },
    batch: { type: 'string', value: 'B', description: 'batch size (default 32)' },
    patience: { type: 'string', value: 'P', description: 'stop after P epochs without a better validation loss (default 3)' },
    'max-images': {
      type: 'string',
      value: 'N',
      description: `train on a seeded random sample of N images when there are more (default ${DEFAULT_MAX_TRAINING_IMAGES}); embedding covers every image`,
    },
    'normalise-tone': { type: 'boolean', description: "stretch each image's tone to the full range before the network, in training and embedding" },
    fresh: { type: 'boolean', description: 'start a new model even if an interrupted run could resume' },
  },
  minArgs: 1,
  maxArgs: 1,
  async run(ctx) {
    const { out } = ctx;
    const fields = trainingArgs.shape;
    const options = {
      encoder: encoderOption(ctx),
      epochs: schemaIntOption(ctx, 'epochs', fields.epochs),
      inputSize: schemaIntOption(ctx, 'size', fields.inputSize),
      latentDim: schemaIntOption(ctx, 'latent', fields.latentDim),
      seed: schemaIntOption(ctx, 'seed', fields.seed),
      batchSize: schemaIntOption(ctx, 'batch', fields.batchSize),
      patience: schemaIntOption(ctx, 'patience', fields.patience),
      maxTrainingImages: schemaIntOption(ctx, 'max-images', fields.maxTrainingImages),
      normaliseTone: ctx.options['normalise-tone'] === true,
      fresh: ctx.options.fresh === true,
      // `farpoint embed` is its own step on the command line.
      embed: false,
    };
    const result = await withProject(ctx.positionals[0]!, async (client) => {
      const runtime = await client.call('getBackendInfo', {});
      out.note(`backend: ${runtime.backend} (${runtime.reason})`);
      const job = await client.call('startTraining', options);
      let interrupted = false;
      const onSignal = () => {
        interrupted = true;
        out.note('stopping after this batch; the last finished epoch is saved and the next run resumes from it');
        void client.call('cancelJob', { id: job.id });
      };
      process.once('SIGINT', onSignal);
      try {
        return (await client.finish(job.id, (p) => out.progress(formatProgress(p)))) as TrainResult;
      } catch (err) {
        if (interrupted) throw new FarpointError('training interrupted; run the same command again to resume');
        throw err;
      } finally {
        process.off('SIGINT', onSignal);
      }
    });
    out.result(result, () =>
      [
        `${result.encoder} model ${result.modelId} trained on ${result.trainImages} images (${result.valImages} for validation) with the ${result.backend} backend on ${result.threads === 2 ? 'two threads' : 'one thread'}`,
        result.resumedFromEpoch ? `resumed at epoch ${result.resumedFromEpoch}` : '',
        `epochs run: ${result.epochs}${result.stoppedEarly ? ' (stopped early)' : ''}; kept epoch ${result.bestEpoch}`,
        `final loss ${result.trainLoss.toFixed(5)}, validation loss ${result.valLoss.toFixed(5)}`,
        `training speed: ${result.imagesPerSecond.toFixed(0)} images/s`,
        ...result.unreadable.map((u) => `  unreadable, left out: ${u.path}: ${u.reason}`),
        'next: farpoint embed PROJECT',
      ].filter(Boolean).join('\n'),
    );
  },
};

function encoderOption(ctx: CommandContext): EncoderKind | undefined {
  const raw = stringOption(ctx, 'encoder');
  if (raw === undefined) return undefined;
  if (!isEncoderKind(raw)) throw new FarpointError(`--encoder must be one of ${encoderKinds.join(', ')}, got '${raw}'`);
  return raw;
}
