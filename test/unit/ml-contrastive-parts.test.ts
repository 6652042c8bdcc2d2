import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom } from '../../src/main/core/random';
import { augment, type Image } from '../../src/main/stages/train/contrastive/augment';
import { ntXentLoss } from '../../src/main/stages/train/contrastive/nt-xent';
import { loadTf } from '../../src/main/stages/train/tf-backend';

test('NT-Xent equals the hand-computed value on two pairs', async () => {
  const { tf } = await loadTf();
  // Views (already unit length): a0 = (1, 0), a1 = (0, 1), b0 = (1, 0), b1 = (−1, 0); τ = 1.
  const a = tf.tensor2d([[2, 0], [0, 3]]);
  const b = tf.tensor2d([[5, 0], [-1, 0]]);
  const loss = ntXentLoss(tf, a, b, 1);
  // Cosine similarities to the other three views, partner first:
  // a0: b0 1, a1 0, b1 −1 → −log(e / (e + 1 + 1/e)); a1: b1 0, a0 0, b0 0 → −log(1/3);
  // b0: a0 1, a1 0, b1 −1 → as a0;               b1: a1 0, a0 −1, b0 −1 → −log(1 / (1 + 2/e)).
  const e = Math.E;
  const first = -Math.log(e / (e + 1 + 1 / e));
  const expected = (2 * first + Math.log(3) + Math.log(1 + 2 / e)) / 4;
  assert.ok(Math.abs((await loss.data())[0]! - expected) < 1e-5, `${(await loss.data())[0]} vs ${expected}`);
  // Temperature sharpens: matching pairs give a lower loss at a lower temperature.
  const same = tf.tensor2d([[1, 0], [0, 1]]);
  assert.ok((await ntXentLoss(tf, same, same, 0.1).data())[0]! < (await ntXentLoss(tf, same, same, 1).data())[0]!);
  tf.dispose([a, b, loss, same]);
});

/** A 32×32 arrow: a shaft from the centre along `angle` (clockwise from up) with a heavy head at its tip. */
function arrow(angle: number): Image {
  const size = 32;
  const data = new Float32Array(size * size);
  const rad = (angle * Math.PI) / 180;
  const dir = [Math.sin(rad), -Math.cos(rad)];
  for (let t = -9; t <= 9; t += 0.25) {
    const width = t > 5 ? 2.5 : 0.8;
    for (let w = -width; w <= width; w += 0.25) {
      const x = Math.round(15.5 + dir[0]! * t - dir[1]! * w);
      const y = Math.round(15.5 + dir[1]! * t + dir[0]! * w);
      if (x >= 0 && x < size && y >= 0 && y < size) data[y * size + x] = 0.8;
    }
  }
  return { data, size, channels: 1 };
}

/** Principal axis (degrees, clockwise from up, mod 180) of the object's pixels, and which way along `along` (default: that axis) the mass leans. */
function axisOf(image: Image, along?: number[]): { axis: number; heads: number; dir: number[] } {
  const { size, data } = image;
  // The object: pixels above half-way between the darkest and the brightest (noise and tone shifts stay below).
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of data) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  const background = (lo + hi) / 2;
  let m = 0;
  let mx = 0;
  let my = 0;
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) {
    const w = data[y * size + x]! > background ? 1 : 0;
    m += w;
    mx += w * x;
    my += w * y;
  }
  const cx = mx / m;
  const cy = my / m;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) {
    const w = data[y * size + x]! > background ? 1 : 0;
    sxx += w * (x - cx) ** 2;
    syy += w * (y - cy) ** 2;
    sxy += w * (x - cx) * (y - cy);
  }
  const theta = 0.5 * Math.atan2(2 * sxy, sxx - syy); // angle from +x, y down
  // The head's side is measured along one fixed direction (the original's), so the axis' 180° ambiguity cannot flip it.
  const dir = along ?? [Math.cos(theta), Math.sin(theta)];
  let skew = 0;
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) {
    const w = data[y * size + x]! > background ? 1 : 0;
    skew += w * ((x - cx) * dir[0]! + (y - cy) * dir[1]!) ** 3;
  }
  const clockwiseFromUp = (((theta * 180) / Math.PI + 90) % 180 + 180) % 180;
  return { axis: clockwiseFromUp, heads: Math.sign(skew), dir };
}

test('augmentations never rotate or flip: an arrow keeps its principal axis and the side its head is on', () => {
  const random = seededRandom(3);
  for (const angle of [0, 30, 75, 120]) {
    const original = axisOf(arrow(angle));
    assert.ok(Math.abs(original.axis - (angle % 180)) < 4, `the synthetic arrow at ${angle}° measures ${original.axis}°`);
    for (let k = 0; k < 40; k++) {
      const view = axisOf(augment(arrow(angle), random), original.dir);
      const diff = Math.abs(((view.axis - original.axis + 90) % 180 + 180) % 180 - 90);
      assert.ok(diff < 4, `arrow ${angle}°, view ${k}: axis ${view.axis.toFixed(1)}° against ${original.axis.toFixed(1)}°`);
      assert.equal(view.heads, original.heads, `arrow ${angle}°, view ${k}: flipped`);
    }
  }
});
