/**
 * Teams' chart elements (`Chart.Line`, `Chart.Donut`, …) are not in Adaptive Cards 1.5 and the
 * `adaptivecards` library does not know them: it reports "Unknown element type … Fallback will be
 * used" and renders the fallback, as the Agents Playground does. So card validation checks each
 * chart's own shape here (Teams' documented properties), then swaps it for its fallback, which
 * the library validates like any other element. A chart without a real fallback is a problem:
 * clients without charts would show nothing.
 */
export const TEAMS_CHART_TYPES = [
  'Chart.Donut',
  'Chart.Pie',
  'Chart.Line',
  'Chart.VerticalBar',
  'Chart.VerticalBar.Grouped',
  'Chart.HorizontalBar',
  'Chart.HorizontalBar.Stacked',
  'Chart.Gauge',
] as const;

type Json = unknown;
const isObject = (v: Json): v is Record<string, Json> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isCoord = (v: Json) => typeof v === 'number' || (typeof v === 'string' && v !== '');

/** Problems with one chart element's own properties (not its fallback). */
export function chartProblems(chart: Record<string, Json>): string[] {
  const type = String(chart.type);
  const problems: string[] = [];
  if (!(TEAMS_CHART_TYPES as readonly string[]).includes(type))
    return [`chart: unknown chart type "${type}"`];
  if ('title' in chart && typeof chart.title !== 'string')
    problems.push(`chart: ${type}.title must be a string`);
  if (!isObject(chart.fallback))
    problems.push(`chart: ${type} needs a fallback element for clients without charts`);
  if (type === 'Chart.Line') {
    const data = chart.data;
    if (!Array.isArray(data) || data.length === 0)
      problems.push('chart: Chart.Line.data must be a non-empty array');
    else
      data.forEach((series, i) => {
        if (!isObject(series) || !Array.isArray(series.values) || series.values.length === 0) {
          problems.push(`chart: Chart.Line.data[${i}].values must be a non-empty array`);
          return;
        }
        if ('legend' in series && typeof series.legend !== 'string')
          problems.push(`chart: Chart.Line.data[${i}].legend must be a string`);
        series.values.forEach((p, j) => {
          if (!isObject(p) || !isCoord(p.x) || typeof p.y !== 'number')
            problems.push(
              `chart: Chart.Line.data[${i}].values[${j}] must be {x: string | number, y: number}`,
            );
        });
      });
  } else if (!Array.isArray(chart.data)) problems.push(`chart: ${type}.data must be an array`);
  return problems;
}

/** The card with every chart replaced by its fallback, and the charts' own problems. */
export function swapChartsForFallbacks(card: Json): { card: Json; problems: string[]; charts: number } {
  const problems: string[] = [];
  let charts = 0;
  const walk = (v: Json): Json => {
    if (Array.isArray(v)) return v.map(walk).filter((x) => x !== undefined);
    if (!isObject(v)) return v;
    if (typeof v.type === 'string' && v.type.startsWith('Chart.')) {
      charts++;
      problems.push(...chartProblems(v));
      return isObject(v.fallback) ? walk(v.fallback) : undefined;
    }
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
  };
  return { card: walk(card), problems, charts };
}
