/**
 * Small inline SVG charts for the HTML report, drawn from numbers alone (no scripts, no fonts, no
 * external references): a column chart of a time series and horizontal bars of labelled values.
 */

/** Escapes text for HTML/SVG content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A column chart of values over time; `labels` are the first and last tick texts. */
export function columnChart(values: readonly number[], labels: [string, string], title: string, width = 720, height = 140): string {
  const max = Math.max(1, ...values);
  const plotH = height - 24;
  const w = values.length > 0 ? width / values.length : width;
  const bars = values
    .map((v, i) => {
      const h = v > 0 ? Math.max(1, (v / max) * plotH) : 0;
      return `<rect x="${(i * w).toFixed(1)}" y="${(plotH - h).toFixed(1)}" width="${Math.max(1, w - 1).toFixed(1)}" height="${h.toFixed(1)}"><title>${v}</title></rect>`;
    })
    .join('');
  return (
    `<svg class="chart" role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">` +
    `<g class="bars">${bars}</g>` +
    `<line x1="0" y1="${plotH}" x2="${width}" y2="${plotH}" class="axis"/>` +
    `<text x="0" y="${height - 6}">${escapeHtml(labels[0])}</text>` +
    `<text x="${width}" y="${height - 6}" text-anchor="end">${escapeHtml(labels[1])}</text>` +
    `<text x="${width}" y="12" text-anchor="end">max ${max}</text></svg>`
  );
}

/** Horizontal bars, one per labelled value, with the value's text at the end. */
export function barChart(items: readonly { label: string; value: number; text: string }[], title: string, width = 720): string {
  const row = 22;
  const labelW = 260;
  const height = Math.max(row, items.length * row);
  const max = Math.max(1, ...items.map((x) => x.value));
  const bars = items
    .map((x, i) => {
      const w = x.value > 0 ? Math.max(1, (x.value / max) * (width - labelW - 90)) : 0;
      const y = i * row;
      return (
        `<text x="0" y="${y + 15}">${escapeHtml(x.label.length > 38 ? `${x.label.slice(0, 37)}…` : x.label)}</text>` +
        `<rect x="${labelW}" y="${y + 4}" width="${w.toFixed(1)}" height="${row - 8}"><title>${escapeHtml(x.text)}</title></rect>` +
        `<text x="${(labelW + w + 6).toFixed(1)}" y="${y + 15}">${escapeHtml(x.text)}</text>`
      );
    })
    .join('');
  return `<svg class="chart" role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">${bars}</svg>`;
}
