/**
 * Objects of the demo, drawn as SVG around (0, 0) with their "tip" pointing
 * up (towards −y); the generator rotates them clockwise by the true angle.
 * Each has a clear front and back so its orientation is well defined on the
 * full circle.
 */
export interface DemoShape {
  name: string;
  /** How many images of it the demo has: a few common kinds, several rare ones. */
  count: number;
  /** Common kinds come off a line in a few preferred poses, making near-duplicates. */
  poses: number[] | null;
  svg: (fill: string, accent: string) => string;
}

export const demoShapes: DemoShape[] = [
  {
    name: 'bolt',
    count: 700,
    poses: [0, 90, 180],
    svg: (f, a) =>
      `<polygon points="-14,-38 14,-38 20,-28 14,-18 -14,-18 -20,-28" fill="${f}"/>` +
      `<rect x="-7" y="-18" width="14" height="52" fill="${f}"/>` +
      [...Array(7)].map((_, i) => `<line x1="-7" y1="${-12 + i * 7}" x2="7" y2="${-9 + i * 7}" stroke="${a}" stroke-width="2"/>`).join(''),
  },
  {
    name: 'key',
    count: 550,
    poses: [45, 270],
    svg: (f, a) =>
      `<circle cx="0" cy="26" r="15" fill="${f}"/><circle cx="0" cy="26" r="5" fill="${a}"/>` +
      `<rect x="-4" y="-38" width="8" height="52" fill="${f}"/>` +
      `<rect x="4" y="-36" width="9" height="5" fill="${f}"/><rect x="4" y="-27" width="6" height="5" fill="${f}"/><rect x="4" y="-18" width="10" height="5" fill="${f}"/>`,
  },
  {
    name: 'arrow',
    count: 450,
    poses: [120, 300],
    svg: (f) => `<polygon points="0,-42 22,-14 8,-14 8,38 -8,38 -8,-14 -22,-14" fill="${f}"/>`,
  },
  { name: 'hammer', count: 60, poses: null, svg: (f, a) => `<rect x="-24" y="-40" width="48" height="16" rx="3" fill="${f}"/><rect x="-5" y="-24" width="10" height="62" fill="${a}"/>` },
  {
    name: 'wrench',
    count: 55,
    poses: null,
    svg: (f) => `<path d="M -16 -40 L -6 -26 L 6 -26 L 16 -40 L 16 -22 L 7 -12 L 7 38 L -7 38 L -7 -12 L -16 -22 Z" fill="${f}"/>`,
  },
  { name: 'bracket', count: 50, poses: null, svg: (f) => `<polygon points="-20,-38 -6,-38 -6,24 26,24 26,38 -20,38" fill="${f}"/>` },
  {
    name: 'hook',
    count: 45,
    poses: null,
    svg: (f) => `<path d="M 0 -40 L 0 14 A 14 14 0 1 1 -26 14" fill="none" stroke="${f}" stroke-width="9" stroke-linecap="round"/>`,
  },
  {
    name: 'fish',
    count: 40,
    poses: null,
    svg: (f, a) => `<ellipse cx="0" cy="-6" rx="14" ry="30" fill="${f}"/><polygon points="0,18 -16,40 16,40" fill="${f}"/><circle cx="-5" cy="-22" r="3" fill="${a}"/>`,
  },
  {
    name: 'screwdriver',
    count: 35,
    poses: null,
    svg: (f, a) => `<rect x="-3" y="-42" width="6" height="44" fill="${a}"/><rect x="-9" y="2" width="18" height="38" rx="6" fill="${f}"/>`,
  },
  {
    name: 'pliers',
    count: 30,
    poses: null,
    svg: (f) =>
      `<polygon points="-3,-40 3,-40 6,0 20,38 12,40 0,6 -12,40 -20,38 -6,0" fill="${f}"/><circle cx="0" cy="0" r="6" fill="${f}"/>`,
  },
  {
    name: 'leaf',
    count: 25,
    poses: null,
    svg: (f, a) => `<path d="M 0 -40 C 26 -16 22 20 0 30 C -22 20 -26 -16 0 -40 Z" fill="${f}"/><line x1="0" y1="-34" x2="0" y2="42" stroke="${a}" stroke-width="3"/>`,
  },
];
