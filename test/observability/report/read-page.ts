import type { ReportData } from '../../../src/observability/report/model.js';

/** The JSON a rendered report page embeds, parsed back. */
export function embeddedData(html: string): ReportData {
  const match = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html);
  if (!match?.[1]) throw new Error('the page has no report-data script');
  return JSON.parse(match[1]) as ReportData;
}
