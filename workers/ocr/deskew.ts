/**
 * The skew of text lines in a greyscale image, in degrees (positive: the text rises to the right), by projection
 * profile: the angle at which the dark pixels' rows pile up most sharply. Looked for within ±`maxDegrees`.
 */
export function estimateSkew(grey: Uint8Array, width: number, height: number, maxDegrees = 5): number {
  const xs: number[] = [];
  const ys: number[] = [];
  const dark = Math.min(140, darkThreshold(grey));
  // Right-hand edges of dark strokes on light paper: filled areas, faint noise and compression blocks are left out.
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width - 2; x += 1) {
      const i = y * width + x;
      if (grey[i] < dark && grey[i + 2] > 200) {
        xs.push(x - width / 2);
        ys.push(y);
      }
    }
  }
  if (xs.length < 200) return 0;
  const score = (degrees: number): number => {
    const t = Math.tan((degrees * Math.PI) / 180);
    const bins = new Float64Array(height * 2 + 2);
    for (let k = 0; k < xs.length; k++) {
      const row = Math.round(ys[k] + xs[k] * t) + Math.floor(height / 2);
      if (row >= 0 && row < bins.length) bins[row]++;
    }
    let sum = 0;
    for (let r = 1; r < bins.length; r++) sum += (bins[r] - bins[r - 1]) ** 2;
    return sum;
  };
  let best = 0;
  let bestScore = score(0);
  for (const step of [0.5, 0.1]) {
    const centre = best;
    const span = step === 0.5 ? maxDegrees : 0.5;
    for (let a = centre - span; a <= centre + span + 1e-9; a += step) {
      const s = score(a);
      if (s > bestScore * 1.0001) {
        best = a;
        bestScore = s;
      }
    }
  }
  return Math.round(best * 10) / 10;
}

/** Otsu's threshold: dark ink from light paper. */
export function darkThreshold(grey: Uint8Array): number {
  const histogram = new Float64Array(256);
  for (const v of grey) histogram[v]++;
  const total = grey.length;
  let sumAll = 0;
  for (let i = 0; i < 256; i++) sumAll += i * histogram[i];
  let sumBack = 0;
  let weightBack = 0;
  let best = 128;
  let bestVariance = -1;
  for (let t = 0; t < 256; t++) {
    weightBack += histogram[t];
    if (weightBack === 0) continue;
    const weightFore = total - weightBack;
    if (weightFore === 0) break;
    sumBack += t * histogram[t];
    const meanBack = sumBack / weightBack;
    const meanFore = (sumAll - sumBack) / weightFore;
    const variance = weightBack * weightFore * (meanBack - meanFore) ** 2;
    if (variance > bestVariance) {
      bestVariance = variance;
      best = t;
    }
  }
  return best;
}
