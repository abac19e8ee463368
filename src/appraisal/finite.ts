// The engine gives finite figures or none: a figure that overflows (Infinity) or means nothing (NaN)
// is refused by name, so it never reaches a page, an export or a PDF. The file's bounds
// (file-schema.ts, BOUNDS) keep every honest input far from this; it guards the freak cases left,
// such as 100% growth a year for a thousand years, or a benefit over a cost of 1e-320.

export class FigureOutOfRangeError extends RangeError {
  constructor(
    /** Where the figure comes from: `costs[3]`, `options[1]`. */
    readonly path: string,
    readonly figure: string,
  ) {
    super(`${path}: the ${figure} is too large to compute as a number; check the amounts, growth, optimism bias and discounting`)
    this.name = 'FigureOutOfRangeError'
  }
}

/** Throws a FigureOutOfRangeError unless `value` is a finite number (null, for "no figure", passes). */
export function requireFinite(value: number | null, path: string, figure: string): void {
  if (value !== null && !Number.isFinite(value)) throw new FigureOutOfRangeError(path, figure)
}
