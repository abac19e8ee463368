/**
 * Categories the cost model suggests (a category is free text; these keep one evaluation's lines,
 * and the next one's, grouped the same way). The values are what is stored and exported.
 */
export const costCategories: readonly { value: string; label: string }[] = [
  { value: 'programme', label: 'Programme team and management' },
  { value: 'implementation', label: 'Supplier implementation and configuration' },
  { value: 'migration', label: 'Data migration' },
  { value: 'integration', label: 'Integrations and interfaces' },
  { value: 'training', label: 'Training (trainers, materials, user time)' },
  { value: 'licences', label: 'Licences or subscription' },
  { value: 'hosting', label: 'Hosting, hardware and network' },
  { value: 'support', label: 'Support and maintenance' },
  { value: 'change', label: 'Ongoing change and upgrades' },
  { value: 'dual-running', label: 'Dual running of the old system' },
  { value: 'exit', label: 'Exit and decommissioning' },
  { value: 'other', label: 'Other (such as staff time lost)' },
]

/** Green Book kinds of benefit. */
export const benefitCategories: readonly { value: string; label: string }[] = [
  { value: 'cash-releasing', label: 'Cash-releasing (a budget saving)' },
  { value: 'time-released', label: 'Non-cash-releasing (staff time released)' },
  { value: 'avoided-cost', label: 'Cost avoided' },
  { value: 'societal', label: 'Wider societal benefit' },
  { value: 'other', label: 'Other' },
]

export const sunkCostCategories: readonly { value: string; label: string }[] = [
  { value: 'build', label: 'Build or development to date' },
  { value: 'licences', label: 'Licences already paid' },
  { value: 'procurement', label: 'Procurement (such as an abandoned tender)' },
  { value: 'other', label: 'Other' },
]
