import * as core from '@actions/core';
import { humanBytes } from '../util/format.ts';

export interface SummaryRow {
  label: string;
  value: string;
}

export const rows = {
  bytes: (label: string, n: number): SummaryRow => ({ label, value: `${humanBytes(n)} (${n} bytes)` }),
  text: (label: string, value: string | number): SummaryRow => ({ label, value: String(value) }),
};

/** The job summary: one table, then lists (missing packages, substitutions…) where there are any. */
export async function writeJobSummary(title: string, table: SummaryRow[], lists: { heading: string; items: string[] }[]): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  const s = core.summary.addHeading(title, 3).addTable([
    [
      { data: 'What', header: true },
      { data: 'Value', header: true },
    ],
    ...table.map((r) => [r.label, r.value]),
  ]);
  for (const l of lists) {
    if (l.items.length === 0) continue;
    s.addHeading(l.heading, 4).addList(l.items);
  }
  await s.write();
}
