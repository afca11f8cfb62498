// Issue 10's standup through the emulator (real Bolt, real signing) and the GitHub fake's acme organisation, without a
// model, on a Monday: the weekend is "yesterday"; each active person gets yesterday / today / blockers with links; people
// are named as Slack knows them where Piper can tell (told, or the same e-mail); a failing repository is one sentence.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitHubFake, type GitHubFake } from "../fakes/github.js";
import { askInThread, startTestPiper, type TestPiper } from "../support/piper.js";

/** Monday 16 March 2026, 09:00 in London (still GMT): the standup covers Friday 13 – Sunday 15. */
const MONDAY = new Date("2026-03-16T09:00:00Z");

type Block = { type: string; text?: { text: string }; elements?: Array<{ text: string }> };

describe("the standup from GitHub activity", () => {
  let github: GitHubFake;
  let piper: TestPiper;
  beforeAll(async () => {
    github = await startGitHubFake({ now: MONDAY });
    // A blocked item, for this test only (the shared seed's labels feed other tests' answers).
    github.repos.find((r) => r.name === "mobile")!.issues.find((i) => i.number === 2)!.labels.push("blocked");
    piper = await startTestPiper({ now: () => MONDAY }, { GITHUB_TOKEN: github.token, GITHUB_API_URL: github.url, PIPER_TIME_ZONE: "Europe/London" });
  });
  afterAll(async () => {
    await piper?.close();
    await github?.close();
  });

  const sections = (blocks: unknown[] | undefined) => ((blocks ?? []) as Block[]).filter((b) => b.type === "section").map((b) => b.text!.text);
  const sectionFor = (blocks: unknown[] | undefined, who: string) => sections(blocks).find((t) => t.startsWith(`*${who}`));

  it("covers Friday to Sunday, per person, with blockers, naming people Slack knows", async () => {
    const slack = piper.slackLocal;
    // Bob tells Piper who he is on GitHub; Alice is matched by her public GitHub e-mail.
    const { ts } = await slack.postUserMessage({ channel: slack.channels.general, user: slack.users.bob, text: `<@${piper.botUserId}> I am bob on GitHub` });
    const told = await slack.waitFor(() => slack.replies(slack.channels.general, ts).find((m) => m.bot_id && m.text.startsWith("Got it")));
    expect(told.text).toContain("you're bob on GitHub");

    const { reply, intent } = await askInThread(piper, slack.channels.general, "standup");
    expect(intent).toMatchObject({ category: "STATUS", action: "standup" });
    const blocks = reply.blocks as Block[];
    expect(blocks[0]).toMatchObject({ type: "header", text: { text: "Standup · Fri 13 Mar – Sun 15 Mar" } });

    const alice = sectionFor(blocks, "Alice Example (alice on GitHub)")!;
    expect(alice).toContain("Closed <https://github.com/acme/mobile/issues/4|acme/mobile#4 Release 2.4 checklist>");
    expect(alice).toContain("Reviewed <https://github.com/acme/api/pull/2|acme/api#2 Pagination cursor for /projects> (approved)");
    expect(alice).toContain("1 commit to acme/mobile: ");
    expect(alice).not.toContain("Fix cookie SameSite on Safari"); // Monday morning's commit is today's, not yesterday's
    // Today: her P1 issue before the unlabelled PR she is assigned.
    expect(alice.indexOf("acme/web#1 Login fails on Safari 17")).toBeGreaterThan(alice.indexOf("*Today*"));
    expect(alice.indexOf("acme/web#1 Login fails on Safari 17")).toBeLessThan(alice.indexOf("acme/web#3 Fix Safari login cookie"));
    expect(alice).toContain("acme/web#3 Fix Safari login cookie>: checks failing (test (safari))");

    const bob = sectionFor(blocks, "Bob Example (bob on GitHub)")!;
    expect(bob).toContain("Merged <https://github.com/acme/api/pull/2|acme/api#2 Pagination cursor for /projects>");
    expect(bob).toContain("1 commit to acme/web: <https://github.com/acme/web/commit/");
    expect(bob).toMatch(/acme\/mobile#1 Crash on launch on Android 15> · P0/);
    expect(bob).toContain("Review <https://github.com/acme/web/pull/3|acme/web#3 Fix Safari login cookie> · asked 1 day ago");

    // Carol has a public e-mail nobody in Slack has: she stays her GitHub login. Her blockers: a label, a review wait, failing checks.
    const carol = sectionFor(blocks, "carol*")!;
    expect(carol).toContain("Reviewed <https://github.com/acme/web/pull/4|acme/web#4 Upgrade build to Vite 8> (commented)");
    expect(carol).toContain("*Blockers*");
    expect(carol).toContain("acme/mobile#2 Offline mode for tasks> is labelled `blocked`");
    expect(carol).toContain("acme/web#3 Fix Safari login cookie> has waited 1 day for bob's review");
    expect(carol).toContain("acme/web#3 Fix Safari login cookie>: checks failing");

    const dan = sectionFor(blocks, "dan*")!;
    expect(dan).toContain("Closed <https://github.com/acme/web/issues/5|acme/web#5 Broken link in footer>");
    expect(dan).toContain("2 commits to acme/api");
    expect(dan).not.toContain("*Blockers*");

    const context = blocks.filter((b) => b.type === "context").map((b) => b.elements![0]!.text).join("\n");
    expect(context).toContain("Read acme/web, acme/mobile, acme/api (every repository I can see");
    expect(context).toContain("in Europe/London");
    expect(reply.text).toContain("Standup · Fri 13 Mar – Sun 15 Mar");
  });

  it("covers the linked repository only, and a repository GitHub can't answer for is one sentence while the rest answers", async () => {
    const slack = piper.slackLocal;
    const { reply } = await askInThread(piper, slack.channels.general, "standup for acme/api and acme/web");
    expect(sections(reply.blocks).some((t) => t.includes("acme/api#2"))).toBe(true);
    expect(JSON.stringify(reply.blocks)).not.toContain("acme/mobile#");

    await askInThread(piper, slack.channels.mobile, "this channel is acme/mobile");
    const { reply: linked } = await askInThread(piper, slack.channels.mobile, "standup");
    expect(JSON.stringify(linked.blocks)).toContain("Read acme/mobile (this channel's repository)");
    expect(JSON.stringify(linked.blocks)).not.toMatch(/acme\/(web|api)#/);
    // Every request for acme/web's listings fails; acme/mobile is this channel's, acme/web is named.
    github.push((req) => (req.path.startsWith("/repos/acme/web/") ? { status: 404, body: { message: "Not Found" } } : undefined), 20);
    const { reply: partial } = await askInThread(piper, slack.channels.mobile, "standup for acme/mobile and acme/web");
    const text = JSON.stringify(partial.blocks);
    expect(text).toContain("acme/mobile#4 Release 2.4 checklist");
    expect(text).toContain("_acme/web: I couldn't find the repository acme/web in GitHub");
  });
});
