import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { gaussian, seededRandom } from '../../core/random';
import { demoShapes, type DemoShape } from './shapes';

export const DEMO_IMAGE_SIZE = 128;
export const DEMO_SEED = 20_240_601;

export interface DemoImage {
  file: string;
  angle: number;
  shape: string;
  /** The object and pose the image shows: images of a common kind in one pose are near-copies and share it; every other image has its own. */
  item: string;
}

interface Plan {
  shape: DemoShape;
  index: number;
  /** Which of the shape's poses, for kinds that come in a few poses; null for a free angle. */
  pose: number | null;
  angle: number;
  scale: number;
  dx: number;
  dy: number;
  fill: number;
  background: number;
  noiseSeed: number;
}

/** Decides every image's parameters up front from one seed, so the set is identical on every machine. */
function planImages(seed: number, scale: number): Plan[] {
  const random = seededRandom(seed);
  const plans: Plan[] = [];
  for (const shape of demoShapes) {
    const count = Math.max(2, Math.round(shape.count * scale));
    for (let index = 0; index < count; index++) {
      const poseIndex = shape.poses ? Math.floor(random() * shape.poses.length) : null;
      const pose = shape.poses ? shape.poses[poseIndex!]! : random() * 360;
      // Common kinds jitter by a few degrees around their pose: many near-identical images.
      const angle = (((shape.poses ? pose + gaussian(random) * 3 : pose) % 360) + 360) % 360;
      plans.push({
        shape,
        index,
        pose: poseIndex,
        angle: Math.round(angle * 100) / 100,
        scale: shape.poses ? 1 + gaussian(random) * 0.03 : 0.85 + random() * 0.3,
        dx: shape.poses ? gaussian(random) * 1.5 : (random() - 0.5) * 16,
        dy: shape.poses ? gaussian(random) * 1.5 : (random() - 0.5) * 16,
        fill: shape.poses ? 60 + Math.round(random() * 10) : 30 + Math.round(random() * 120),
        background: shape.poses ? 200 + Math.round(random() * 10) : 150 + Math.round(random() * 90),
        noiseSeed: Math.floor(random() * 1e6),
      });
    }
  }
  return plans;
}

function gray(v: number): string {
  const h = Math.max(0, Math.min(255, v)).toString(16).padStart(2, '0');
  return `#${h}${h}${h}`;
}

function svgFor(plan: Plan): string {
  const s = DEMO_IMAGE_SIZE;
  const c = s / 2;
  const accent = gray(plan.background - 25);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${s}" height="${s}" viewBox="0 0 ${s} ${s}">
  <filter id="n"><feTurbulence type="fractalNoise" baseFrequency="0.9" numOctaves="1" seed="${plan.noiseSeed}"/>
    <feColorMatrix type="saturate" values="0"/><feComponentTransfer><feFuncA type="linear" slope="0.12"/></feComponentTransfer></filter>
  <rect width="${s}" height="${s}" fill="${gray(plan.background)}"/>
  <g transform="translate(${(c + plan.dx).toFixed(2)} ${(c + plan.dy).toFixed(2)}) rotate(${plan.angle}) scale(${plan.scale.toFixed(3)})">
    ${plan.shape.svg(gray(plan.fill), accent)}
  </g>
  <rect width="${s}" height="${s}" filter="url(#n)"/>
</svg>`;
}

/**
 * Writes the demo image set: grayscale PNGs of tools and parts at known
 * orientations (clockwise from "pointing up", degrees in [0, 360)), a few
 * common kinds in many near-identical poses and several rare kinds, plus
 * angles.csv with the truth. `scale` shrinks it for tests.
 */
export async function generateDemoImages(
  dir: string,
  options: { seed?: number; scale?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<DemoImage[]> {
  const imagesDir = path.join(dir, 'images');
  await fs.mkdir(imagesDir, { recursive: true });
  const plans = planImages(options.seed ?? DEMO_SEED, options.scale ?? 1);
  const images: DemoImage[] = [];
  const chunk = 16;
  for (let i = 0; i < plans.length; i += chunk) {
    await Promise.all(
      plans.slice(i, i + chunk).map(async (plan) => {
        const name = `${plan.shape.name}-${String(plan.index).padStart(4, '0')}.png`;
        const file = path.join(imagesDir, name);
        const png = await sharp(Buffer.from(svgFor(plan))).greyscale().png({ compressionLevel: 6 }).toBuffer();
        await fs.writeFile(file, png);
      }),
    );
    options.onProgress?.(Math.min(i + chunk, plans.length), plans.length);
  }
  for (const plan of plans) {
    const name = `${plan.shape.name}-${String(plan.index).padStart(4, '0')}`;
    const item = plan.pose === null ? name : `${plan.shape.name}-pose${plan.pose}`;
    images.push({ file: `images/${name}.png`, angle: plan.angle, shape: plan.shape.name, item });
  }
  const csv = ['path,angle_deg,object_type,item', ...images.map((m) => `${m.file},${m.angle},${m.shape},${m.item}`)].join('\n') + '\n';
  await fs.writeFile(path.join(dir, 'angles.csv'), csv);
  return images;
}
