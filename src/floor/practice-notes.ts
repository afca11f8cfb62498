// PM-practice guidance without a model: short, well-known advice for the questions teams ask most, matched by topic words.

const NOTES: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bretro(spective)?s?\b/, "*Retros that change things*\n• Keep them short (30–45 min) and regular, right after the sprint or milestone.\n• Start from facts: what shipped, what slipped, incidents — then feelings.\n• End with one or two owned actions with a date, and open the next retro by checking them."],
  [/\bstand-?ups?\b/, "*Standups that stay useful*\n• 15 minutes, same time, walk the board (right to left) rather than the people.\n• Surface blockers and hand-offs; take problem-solving to a follow-up.\n• If updates are just status, write them down async — I can build one from GitHub activity once standups land."],
  [/\b(sprint|iteration)s?\b.*\bplan|\bplan.*\b(sprint|iteration)s?\b|\bsprint planning\b/, "*Sprint planning*\n• Plan from recent velocity (what actually closed per week), not hope.\n• Leave 20–30% slack for bugs and interrupts.\n• Every item needs an owner and a definition of done; split anything bigger than a few days."],
  [/\bestimat/, "*Estimates*\n• Estimate relative size (S/M/L or points), calibrated against past work.\n• Split what you can't estimate; the unknown part is a spike with a time box.\n• Track forecast vs actual per milestone to see your team's real multiplier."],
  [/\bprioriti[sz]/, "*Prioritising*\n• Rank by impact and urgency, with cost as the tie-breaker (RICE or a simple 2×2 both work).\n• Keep one ordered list; \"everything is P1\" means nothing is.\n• Re-rank on a fixed cadence and say what you're *not* doing."],
  [/\b(roadmap|okrs?)\b/, "*Roadmaps*\n• Now / next / later beats dates for anything past a quarter.\n• Tie each item to an outcome you can measure.\n• Review it monthly with the people building it."],
  [/\b(backlog|grooming|refinement|triage)\b/, "*Backlog hygiene*\n• Triage new issues weekly: label, size, owner or close.\n• Close what nobody will do in the next two quarters — it can be reopened.\n• Keep the top of the backlog ready (clear, sized); the rest can be rough."],
];

export function practiceNote(text: string): string | undefined {
  const lower = text.toLowerCase();
  return NOTES.find(([pattern]) => pattern.test(lower))?.[1];
}
