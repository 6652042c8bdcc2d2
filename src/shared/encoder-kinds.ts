/**
 * The self-supervised encoders a model can be trained with, in the order the
 * UI lists them: the paper's pixel autoencoder (reconstruction loss) and a
 * contrastive encoder (SimCLR's NT-Xent on two orientation-preserving views
 * of each image). Both share the encoder architecture, so embeddings cost the
 * same. The contract's schema, the CLI's option check and the domain type
 * derive from this one list.
 */
export const encoderKinds = ['autoencoder', 'contrastive'] as const;

export type EncoderKind = (typeof encoderKinds)[number];

export const DEFAULT_ENCODER: EncoderKind = 'autoencoder';

export function isEncoderKind(value: string): value is EncoderKind {
  return (encoderKinds as readonly string[]).includes(value);
}
