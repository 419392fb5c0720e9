/**
 * Draws the Teams app icons — a shield with a check mark — into appPackage/: `color.png`
 * (192×192, full colour) and `outline.png` (32×32, white on transparent, as Teams requires).
 * Pure Node (zlib), so the icons can be redrawn anywhere: `npx tsx scripts/makeIcons.ts`.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';

type Point = readonly [number, number];
type Rgb = readonly [number, number, number];

/** Brand colours; BACKGROUND_TOP/BOTTOM frame the manifest's accentColor (#1F5FAD). */
const BACKGROUND_TOP: Rgb = [0x2a, 0x6f, 0xc4];
const BACKGROUND_BOTTOM: Rgb = [0x17, 0x4c, 0x93];
const CHECK: Rgb = [0x2e, 0x9e, 0x5b];
const WHITE: Rgb = [255, 255, 255];

/** The shield's outline in a unit square: peaked top, straight sides, a curved point below. */
const SHIELD: Point[] = (() => {
  const right: Point[] = [
    [0.5, 0.1],
    [0.82, 0.21],
    [0.82, 0.47],
  ];
  // Cubic Bézier from the right side down to the bottom point.
  const p0: Point = [0.82, 0.47];
  const c1: Point = [0.82, 0.7];
  const c2: Point = [0.66, 0.83];
  const p3: Point = [0.5, 0.93];
  for (let i = 1; i <= 24; i++) {
    const t = i / 24;
    const a = (1 - t) ** 3;
    const b = 3 * (1 - t) ** 2 * t;
    const c = 3 * (1 - t) * t ** 2;
    const d = t ** 3;
    right.push([
      a * p0[0] + b * c1[0] + c * c2[0] + d * p3[0],
      a * p0[1] + b * c1[1] + c * c2[1] + d * p3[1],
    ]);
  }
  const left = right
    .slice(1, -1)
    .reverse()
    .map(([x, y]): Point => [1 - x, y]);
  return [...right, ...left];
})();

/** The check mark as a thick polyline with round ends. */
const CHECK_PATH: Point[] = [
  [0.35, 0.51],
  [0.46, 0.62],
  [0.66, 0.39],
];
const CHECK_HALF_WIDTH = 0.05;

function insidePolygon([x, y]: Point, poly: Point[]): boolean {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i] as Point;
    const [xj, yj] = poly[j] as Point;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function nearPolyline([x, y]: Point, line: Point[], halfWidth: number): boolean {
  for (let i = 1; i < line.length; i++) {
    const [ax, ay] = line[i - 1] as Point;
    const [bx, by] = line[i] as Point;
    const t = Math.max(
      0,
      Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)),
    );
    if (Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay))) <= halfWidth) return true;
  }
  return false;
}

/**
 * How much of a pixel the shield and the check mark cover, by supersampling (anti-aliasing
 * without an image library). `margin` is the share of the icon left empty on each side.
 */
function coverage(px: number, py: number, size: number, margin: number): { shield: number; check: number } {
  const n = 6;
  let shield = 0;
  let check = 0;
  for (let sy = 0; sy < n; sy++) {
    for (let sx = 0; sx < n; sx++) {
      const u = ((px + (sx + 0.5) / n) / size - margin) / (1 - 2 * margin);
      const v = ((py + (sy + 0.5) / n) / size - margin) / (1 - 2 * margin);
      if (!insidePolygon([u, v], SHIELD)) continue;
      if (nearPolyline([u, v], CHECK_PATH, CHECK_HALF_WIDTH)) check++;
      else shield++;
    }
  }
  return { shield: shield / n ** 2, check: check / n ** 2 };
}

const mix = (a: Rgb, b: Rgb, t: number): Rgb => [
  a[0] + (b[0] - a[0]) * t,
  a[1] + (b[1] - a[1]) * t,
  a[2] + (b[2] - a[2]) * t,
];

/** 192×192 RGB: white shield with a green check on a blue gradient; the symbol sits in the middle. */
export function drawColorIcon(size = 192): Buffer {
  const out = Buffer.alloc(size * size * 3);
  for (let y = 0; y < size; y++) {
    const background = mix(BACKGROUND_TOP, BACKGROUND_BOTTOM, y / (size - 1));
    for (let x = 0; x < size; x++) {
      const { shield, check } = coverage(x, y, size, 0.2);
      const rgb = mix(mix(background, WHITE, shield + check), CHECK, check);
      rgb.forEach((c, i) => (out[(y * size + x) * 3 + i] = Math.round(c)));
    }
  }
  return encodePng(size, size, 3, out);
}

/** 32×32 RGBA: a white shield with the check mark cut out; every pixel is white, only alpha varies. */
export function drawOutlineIcon(size = 32): Buffer {
  const out = Buffer.alloc(size * size * 4, 255);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      out[(y * size + x) * 4 + 3] = Math.round(coverage(x, y, size, 0.02).shield * 255);
    }
  }
  return encodePng(size, size, 4, out);
}

/** A non-interlaced 8-bit PNG (colour type 2 for RGB, 6 for RGBA) with unfiltered rows. */
export function encodePng(width: number, height: number, channels: 3 | 4, pixels: Buffer): Buffer {
  const stride = width * channels;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) pixels.copy(raw, y * (stride + 1) + 1, y * stride, (y + 1) * stride);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, channels === 4 ? 6 : 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed) >>> 0);
  return Buffer.concat([length, typed, crc]);
}

if (require.main === module) {
  const dir = path.resolve(__dirname, '../appPackage');
  writeFileSync(path.join(dir, 'color.png'), drawColorIcon());
  writeFileSync(path.join(dir, 'outline.png'), drawOutlineIcon());
  console.log(`Wrote ${path.join(dir, 'color.png')} and ${path.join(dir, 'outline.png')}`);
}
