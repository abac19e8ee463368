/** The default 0–5 scale's words, used when an evaluation does not bring its own. */
export const defaultScaleLevels: Record<number, { label: string; descriptor: string }> = {
  0: { label: 'Unacceptable', descriptor: 'No evidence, or the evidence shows the need is not met.' },
  1: { label: 'Poor', descriptor: 'Major gaps or risks; the need is met only in small part.' },
  2: { label: 'Weak', descriptor: 'Some evidence, with significant weaknesses or unmanaged risks.' },
  3: { label: 'Satisfactory', descriptor: 'The need is met, with minor weaknesses; evidence is adequate.' },
  4: { label: 'Good', descriptor: 'The need is met well, supported by clear evidence.' },
  5: { label: 'Excellent', descriptor: 'The need is fully met or exceeded, with strong evidence from live use.' },
}
