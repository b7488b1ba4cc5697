/**
 * A hand-written SVG bar chart: one horizontal bar per figure that has a limit, its length the
 * figure as a percentage of that limit (the dashed line is 100 %). Bars past 150 % are clipped
 * and say so; failed figures are drawn in red. No chart library: plain elements and text.
 */
import type { FigureRow } from './figures.ts';
import { format } from './stats.ts';

const ROW = 22;
const LABEL = 560;
const BAR = 420;
const CAP = 1.5;

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function barChart(rows: FigureRow[], date: Date): string {
  const charted = rows.filter((r) => r.ratio !== undefined && Number.isFinite(r.ratio));
  const top = 50;
  const height = top + charted.length * ROW + 40;
  const width = LABEL + BAR + 120;
  const x100 = LABEL + BAR / CAP;
  const bars = charted.map((row, i) => {
    const y = top + i * ROW;
    const ratio = row.ratio!;
    const length = Math.max(1, (Math.min(ratio, CAP) / CAP) * BAR);
    const colour = row.failed ? '#c0392b' : ratio >= 0.5 ? '#2e86c1' : ratio >= 0.1 ? '#f39c12' : '#7f8c8d';
    const label = `${row.failed ? 'FAILED ' : ''}${row.spec.label}`;
    return [
      `<text x="${LABEL - 8}" y="${y + 15}" text-anchor="end">${escapeXml(label.length > 90 ? `${label.slice(0, 87)}…` : label)}</text>`,
      `<rect x="${LABEL}" y="${y + 4}" width="${length.toFixed(1)}" height="${ROW - 8}" fill="${colour}"><title>${escapeXml(`${row.spec.label}: ${format(row.median)} ${row.spec.unit}; limit ${format(row.limit!.median)} ${row.limit!.spec.unit}`)}</title></rect>`,
      `<text x="${LABEL + length + 6}" y="${y + 15}">${format(ratio * 100)} %${ratio > CAP ? ' (clipped)' : ''}</text>`,
    ].join('\n  ');
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">
  <title>Arbiter benchmark: each figure as a percentage of its limit</title>
  <rect width="100%" height="100%" fill="#fff"/>
  <text x="10" y="22" font-size="15" font-weight="bold">Arbiter benchmark, ${escapeXml(date.toISOString().slice(0, 10))}: each figure as a percentage of its limit (same run)</text>
  <line x1="${x100}" y1="${top - 8}" x2="${x100}" y2="${top + charted.length * ROW}" stroke="#333" stroke-dasharray="4 3"/>
  <text x="${x100}" y="${top - 12}" text-anchor="middle">100 %</text>
  ${bars.join('\n  ')}
  <text x="10" y="${height - 12}" fill="#555">Throughput: value ÷ limit. Latency, bytes, memory, start-up: limit ÷ value. Grey below 10 %, orange below 50 %, red: failed.</text>
</svg>
`;
}
