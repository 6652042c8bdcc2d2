/** Position of the largest value ≥ 0 (first on ties), −1 if none: the next pick among rows whose distance is known. */
export function argmax(values: Float32Array): number {
  let best = -0.5;
  let at = -1;
  for (let j = 0; j < values.length; j++) {
    if (values[j]! > best) {
      best = values[j]!;
      at = j;
    }
  }
  return at;
}
