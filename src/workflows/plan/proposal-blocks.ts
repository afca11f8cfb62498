// How a sprint proposal looks in Slack: marked as a proposal that changed nothing, the budget and where it comes
// from, what is in and what was left out and why. No buttons: acting on it is the team's, in GitHub.
import { escapeMrkdwn } from "../../slack/format.js";
import type { MessageBody } from "../../slack/poster.js";
import { amount, type PlanIssue, type Proposal } from "./proposal.js";

export const PROPOSAL_MARK = "Proposal — nothing has been changed.";
const SHOWN = 10;

export interface ProposalView {
  repo: string;
  proposal: Proposal;
  read?: string;
  notes: string[];
}

const link = (i: PlanIssue) => `<${i.url}|#${i.number} ${escapeMrkdwn(i.title)}>`;

export function proposalBody(view: ProposalView): MessageBody {
  const { proposal: p, repo } = view;
  const section = (text: string) => ({ type: "section", text: { type: "mrkdwn", text } });
  const target = p.milestone
    ? `<${p.milestone.url}|${escapeMrkdwn(p.milestone.title)}>${p.milestone.dueOn ? `, due ${p.milestone.dueOn.slice(0, 10)} (${p.days} days)` : ` (no due date; planned for ${p.days} days)`}`
    : `a ${p.days}-day sprint (no open milestone)`;
  const blocks: unknown[] = [section(`*${PROPOSAL_MARK}* Next sprint for *${escapeMrkdwn(repo)}*: ${target}`)];
  if (view.read) blocks.push(section(`*In short:* ${escapeMrkdwn(view.read)}`));
  const v = p.velocity;

  if (!v || v.closed === 0) {
    const why = v ? `No issues were closed in the last ${v.weeks} weeks, so I have no velocity to size the sprint by.` : "I couldn't read the recently closed issues, so I have no velocity to size the sprint by.";
    const order = p.ranked.slice(0, SHOWN).map((i) => `• ${link(i)}`);
    blocks.push(section(`${why} By priority label and then age, these come first:\n${order.length > 0 ? order.join("\n") : "_no open issues to plan_"}`));
  } else {
    const rate = `${amount(v.done, v.unit)} closed in the last ${v.weeks} weeks (${v.closed} ${v.closed === 1 ? "issue" : "issues"}, ${amount(v.perWeek, v.unit)} a week)`;
    blocks.push(section(`*Budget:* ${amount(p.budget, v.unit)} for ${p.days} days, from velocity: ${rate}.`));
    const lines = p.picked.map((x) => `• ${link(x.issue)} — ${v.unit === "points" ? `${amount(x.cost, "points")}${x.sized ? "" : " (unsized)"}, ` : ""}${x.why}`);
    blocks.push(section(`*Proposed — ${p.picked.length} ${p.picked.length === 1 ? "issue" : "issues"}, ${amount(p.used, v.unit)} of ${amount(p.budget, v.unit)}*\n${lines.length > 0 ? lines.join("\n") : "_nothing fits the budget_"}`));
  }
  if (p.leftOut.length > 0) {
    const lines = p.leftOut.slice(0, SHOWN).map((x) => `• ${link(x.issue)} — ${x.why}`);
    const rest = p.leftOut.length > SHOWN ? `\n_…and ${p.leftOut.length - SHOWN} more._` : "";
    blocks.push(section(`*Left out — ${p.leftOut.length}*\n${lines.join("\n")}${rest}`));
  }
  const sizes =
    v?.unit === "points"
      ? `Sizes from \`size:\` and \`points:\` labels (S 2, M 3, L 5); an unsized issue counts as ${amount(v.unsizedAs ?? 0, "points")}, the median of the sized ones closed lately.`
      : "No closed issue carried a size label, so each issue counts as one.";
  const made = `I haven't created or changed any milestone, label or issue — this is for the team to decide. ${sizes}${view.read ? " The short read is the model's, from these facts." : ""}`;
  blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: [made, ...view.notes].join(" · ") }] });
  const summary = v && v.closed > 0 ? `${p.picked.length} issues (${amount(p.used, v.unit)} of ${amount(p.budget, v.unit)}), ${p.leftOut.length} left out` : "no velocity to budget by";
  return { text: `${PROPOSAL_MARK} Next sprint for ${repo}: ${summary}.`, blocks };
}

/** The proposal as plain lines, for the model's short read. */
export function proposalFacts(repo: string, p: Proposal): string {
  const v = p.velocity;
  return [
    `Repository: ${repo}. Target: ${p.milestone ? `milestone ${p.milestone.title}${p.milestone.dueOn ? ` due ${p.milestone.dueOn.slice(0, 10)}` : ""}` : "no milestone"}, ${p.days} days.`,
    v ? `Velocity: ${v.done} ${v.unit} closed in ${v.weeks} weeks (${v.closed} issues). Budget: ${p.budget} ${v.unit}; proposed ${p.used}.` : "Velocity unknown.",
    `Proposed: ${p.picked.map((x) => `#${x.issue.number} "${x.issue.title}" (${x.cost} ${v?.unit ?? "issues"}; ${x.why})`).join("; ") || "none"}.`,
    `Left out: ${p.leftOut.slice(0, 20).map((x) => `#${x.issue.number} "${x.issue.title}" (${x.why})`).join("; ") || "none"}.`,
  ].join("\n");
}
