// The audit's chart: changes per week, stacked by level, with the weeks' exceptions marked above
// their bars. Plain SVG written here, so the report needs no script and no network to show it.
import type { AuditSummary } from '../audit/audit';
import { escapeHtml } from './html';

/** Colours by level rank, lowest first: calm to urgent; direct pushes in their own colour. */
const LEVEL_COLOURS = ['#3fb950', '#d29922', '#db6d28', '#f85149', '#a371f7', '#8b949e'];
const DIRECT_PUSH_COLOUR = '#6e7681';

export function levelColour(rank: number): string {
  return LEVEL_COLOURS[Math.min(rank, LEVEL_COLOURS.length - 1)];
}

export function auditChartSvg(summary: AuditSummary): string {
  const weeks = summary.weeks;
  const levels = summary.byLevel;
  const width = 760;
  const height = 260;
  const left = 40;
  const bottom = 40;
  const top = 28;
  const plotHeight = height - top - bottom;
  const totals = weeks.map((w) => Object.values(w.byLevel).reduce((a, b) => a + b, 0) + w.directPushes);
  const max = Math.max(1, ...totals);
  const step = weeks.length ? (width - left - 10) / weeks.length : 0;
  const barWidth = Math.max(4, Math.min(36, step * 0.7));
  const y = (count: number) => top + plotHeight - (count / max) * plotHeight;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="chart-title" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" class="chart">`);
  out.push(`<title id="chart-title">Changes per week by level; red marks count the changes with exceptions</title>`);
  // Gridlines at round counts.
  const tick = niceStep(max);
  for (let v = 0; v <= max; v += tick) {
    out.push(`<line x1="${left}" x2="${width - 10}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#d0d7de" stroke-width="1"/>`);
    out.push(`<text x="${left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" font-size="11" fill="#57606a">${v}</text>`);
  }
  weeks.forEach((w, i) => {
    const x = left + i * step + (step - barWidth) / 2;
    let stacked = 0;
    const segments: [string, number, string][] = [...levels.map((l, rank) => [l.title, w.byLevel[l.id] ?? 0, levelColour(rank)] as [string, number, string]), ['Direct push', w.directPushes, DIRECT_PUSH_COLOUR]];
    out.push(`<g class="week" data-week="${w.week}" data-total="${totals[i]}" data-exceptions="${w.withExceptions}">`);
    for (const [title, count, colour] of segments) {
      if (!count) continue;
      const y0 = y(stacked + count);
      out.push(`<rect x="${x.toFixed(1)}" y="${y0.toFixed(1)}" width="${barWidth.toFixed(1)}" height="${(y(stacked) - y0).toFixed(1)}" fill="${colour}"><title>${escapeHtml(`Week of ${w.week}: ${count} ${title}`)}</title></rect>`);
      stacked += count;
    }
    if (w.withExceptions) {
      const cx = x + barWidth / 2;
      const cy = y(totals[i]) - 10;
      out.push(`<circle cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" r="8" fill="#cf222e"><title>${w.withExceptions} with exceptions</title></circle>`);
      out.push(`<text x="${cx.toFixed(1)}" y="${(cy + 4).toFixed(1)}" text-anchor="middle" font-size="10" font-weight="bold" fill="#fff">${w.withExceptions}</text>`);
    }
    if (weeks.length <= 16 || i % Math.ceil(weeks.length / 16) === 0) {
      out.push(`<text x="${(x + barWidth / 2).toFixed(1)}" y="${height - bottom + 16}" text-anchor="middle" font-size="10" fill="#57606a">${w.week.slice(5)}</text>`);
    }
    out.push('</g>');
  });
  out.push(`<text x="${left}" y="${height - 6}" font-size="11" fill="#57606a">Weeks (Monday, UTC)</text>`);
  out.push('</svg>');
  return out.join('');
}

export function chartLegend(summary: AuditSummary): string {
  const items = [...summary.byLevel.map((l, rank) => [l.title, levelColour(rank)]), ...(summary.directPushes ? [['Direct push', DIRECT_PUSH_COLOUR]] : []), ['With exceptions', '#cf222e']];
  return `<ul class="legend">${items.map(([t, c]) => `<li><span class="swatch" style="background:${c}"></span>${escapeHtml(t)}</li>`).join('')}</ul>`;
}

function niceStep(max: number): number {
  const raw = max / 5;
  const power = 10 ** Math.floor(Math.log10(Math.max(1, raw)));
  return [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? power * 10;
}
