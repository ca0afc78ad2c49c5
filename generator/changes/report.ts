/** The change report as people read it: a short summary for the terminal, Markdown for a pull request. */
import type { ApiChange, ChangeReport } from "./compare.js";

const VERDICT: Record<ChangeReport["bump"], string> = {
  major: "BREAKING: a major version",
  minor: "non-breaking additions: a minor version",
  patch: "no API change: a patch version",
  none: "no change",
};

export function verdict(report: ChangeReport): string {
  if (report.bump === "patch" && report.apiChanged) return "non-breaking, no new API: a patch version";
  return VERDICT[report.bump];
}

function line(change: ApiChange): string {
  const mark = change.breaking ? "BREAKING" : change.breaksExhaustiveSwitches ? "breaks exhaustive switches" : change.bump;
  return `${change.operation ? `${change.operation}: ` : ""}${change.message} [${mark}]`;
}

/** A few lines for the terminal: the verdict, then breaking changes first; at most `limit` changes. */
export function formatSummary(report: ChangeReport, limit = 20): string {
  if (report.bump === "none") return "API changes: none.";
  const sorted = [...report.changes].sort((a, b) => Number(b.breaking) - Number(a.breaking));
  const lines = [`API changes: ${report.changes.length} (${verdict(report)})`, ...sorted.slice(0, limit).map((c) => `  ${line(c)}`)];
  if (sorted.length > limit) lines.push(`  ... and ${sorted.length - limit} more (write them all with --report FILE.md)`);
  return lines.join("\n");
}

export function formatMarkdown(report: ChangeReport, title = "API change report"): string {
  const lines = [`## ${title}`, "", `**Semver: ${report.bump}** (${verdict(report)})`, ""];
  const sections: [string, (c: ApiChange) => boolean][] = [
    ["Breaking changes", (c) => c.breaking],
    ["Breaking for exhaustive switches", (c) => !c.breaking && c.breaksExhaustiveSwitches === true],
    ["Non-breaking changes", (c) => !c.breaking && !c.breaksExhaustiveSwitches],
  ];
  for (const [heading, keep] of sections) {
    const changes = report.changes.filter(keep);
    if (changes.length === 0) continue;
    lines.push(`### ${heading}`, "");
    for (const change of changes) lines.push(`- ${change.operation ? `\`${change.operation}\`: ` : ""}${change.message} (\`${change.rule}\`, ${change.bump})`);
    lines.push("");
  }
  if (report.changes.length === 0) lines.push("No change.", "");
  return lines.join("\n");
}

export function formatJson(report: ChangeReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
